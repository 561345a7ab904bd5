using Build.Configuration;

namespace Build.Gates;

/// <summary>
/// What protects an environment once the environments sharing its database are counted: the strictest of them.
/// dev on production's Supabase project is production's data, so a write to it needs production's approval and a
/// backup first, and seeding it needs <c>--seed --confirm=production</c>. Judged from the configuration alone.
/// </summary>
/// <param name="Environment">The environment judged.</param>
/// <param name="ApprovalOf">The environment whose approval a change needs (itself, or one sharing its database), or
/// null.</param>
/// <param name="BackupFirst">A backup runs before a write to the database (backup.beforeMigrations here or in a sharing
/// environment).</param>
/// <param name="SharesDatabaseWith">Environments that use the same Supabase project.</param>
public sealed record EnvironmentGates(
    string Environment,
    string? ApprovalOf,
    bool BackupFirst,
    IReadOnlyList<string> SharesDatabaseWith)
{
    public bool RequiresApproval => ApprovalOf is not null;

    /// <summary>The database is shared and one of its environments requires approval: seeding it is never automatic,
    /// only <c>--seed --confirm=&lt;ApprovalOf&gt;</c>.</summary>
    public bool SeedIsGated => ApprovalOf is not null && SharesDatabaseWith.Count > 0;

    public static EnvironmentGates For(EnvironmentsFile config, string environment)
    {
        var self = config.Environments[environment];
        var partners = self.SupabaseProjectRef is { } projectRef
            ? config
                .Environments.Values.Where(e => e.Name != environment && e.SupabaseProjectRef == projectRef)
                .ToList()
            : [];
        var approval = self.RequiresApproval ? environment : partners.FirstOrDefault(p => p.RequiresApproval)?.Name;
        var backup = self.Backup.BeforeMigrations || partners.Any(p => p.Backup.BeforeMigrations);
        return new EnvironmentGates(environment, approval, backup, partners.Select(p => p.Name).ToList());
    }

    /// <summary>Why this environment needs what it needs, for messages ("'dev' uses production's database").</summary>
    public string Reason => ApprovalOf is { } of && of != Environment
        ? $"'{Environment}' uses the same database as '{of}' (supabaseProjectRef), and '{of}' requires approval"
        : $"'{Environment}' requires approval (requiresApproval in environments.json)";
}
