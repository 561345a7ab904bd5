using Build.Secrets;
using Build.Migrations.Database;
using static Build.Tasks.MigrationTaskSupport;

namespace Build.Tasks;

[TaskName(nameof(ApplyMigrations))]
[TaskDescription(
    "Applies pending supabase/migrations to --env's database in one transaction under an advisory lock, recorded in " +
    "the Supabase CLI's history; a backup first and the approval where the environment (or one sharing its database) " +
    "needs them; seed.sql where the environment seeds or with --seed (on a database shared with production only " +
    "--seed --confirm=production)"
)]
[TaskArgument<string>(
    "confirm",
    "Confirms a change to an environment that requires approval, from a shell: type its name (--confirm=production); " +
    "with --seed on a database shared with production",
    Placeholder = "ENV"
)]
[TaskArgument<bool>(
    "seed",
    "Also run supabase/seed.sql (environments with seed: true do; on a database shared with production only with " +
    "--confirm=production)"
)]
[NeedsSecrets(SecretName.DatabaseUrl)]
[TaskArgument<bool>(
    "allow-out-of-order",
    "Apply migrations older than the newest applied one instead of refusing them"
)]
[IsDependentOn(typeof(CheckMigrations))]
[ChangesEnvironment(BackupFirst = true, Announce = true)]
public sealed class ApplyMigrations : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        StartupTrace.Mark("ApplyMigrations: start");
        var contents = LoadMigrations(context);
        var seed = Seed(context, SeedWanted(context));
        await using var target = await OpenTargetAsync(context);
        context.Information("Applying migrations to {0}", target.Description);

        var runner = new MigrationRunner(Options(context, seed), Progress(context));
        try
        {
            var result = await runner.ApplyAsync(target.ConnectionString, contents);
            context.MigrationsApplied = result.Applied.Select(a => a.File.FileName).ToList();
            if (context.Ci.IsGitHubActions)
                context.Ci.Summary(result.ToMarkdown(context.EnvironmentName));
            if (result.Applied.Count == 0)
                context.Information("Nothing to apply: {0} migration(s) already applied.", result.AlreadyApplied);
        }
        catch (MigrationCheckException e)
        {
            Report(context, e.Problems);
            throw;
        }
    }

    /// <summary>--dryrun: the pending migrations, read from the database's history like `supabase db push
    /// --dry-run`.</summary>
    public override async Task<IReadOnlyList<string>> PlanAsync(BuildContext context)
    {
        var contents = LoadMigrations(context);
        if (
            context.EnvironmentName == "local"
            && !context.Secrets.Has(SecretName.DatabaseUrl)
            && !LocalDatabase.Exists(context.RepositoryRoot)
        )
            return
            [
                $"the local database does not exist yet: all {contents.Files.Count} migration(s) would be applied",
                .. contents.Files.Select(f => "  " + f.FileName),
            ];
        if (context.EnvironmentName != "local" && !context.Secrets.Has(SecretName.DatabaseUrl))
            return
            [
                "pending migrations not listed: " +
                $"{string.Join(" or ", context.Secrets.VariablesFor(SecretName.DatabaseUrl))} is not set",
            ];
        await using var target = await OpenTargetAsync(context);
        await using var connection = await MigrationRunner.OpenAsync(target.ConnectionString, CancellationToken.None);
        var history = await SupabaseMigrationJournal.ReadAsync(connection);
        var pending = MigrationRunner.Pending(contents.Files, history);
        var seed =
            context.TargetEnvironment.Seed && File.Exists(context.InRepository(context.Config.Project.SeedPath))
                ? $", then {context.Config.Project.SeedPath}"
                : "";
        return pending.Count == 0
            ? [$"{target.Description}: {history.Count} applied, nothing pending"]
            :
            [
                $"{target.Description}: {history.Count} applied, {pending.Count} pending, in one transaction{seed}:",
                .. pending.Select(f => "  " + f.FileName),
            ];
    }

    /// <summary>The environment's seed setting or --seed; on a database shared with an environment that requires
    /// approval (dev on production's project) only <c>--seed --confirm=&lt;that environment&gt;</c>, whatever the
    /// configuration says: seed data must never land in production by accident.</summary>
    private static bool SeedWanted(BuildContext context)
    {
        var gates = context.Gates;
        if (!gates.SeedIsGated) return context.TargetEnvironment.Seed || context.Flag("seed");
        var confirmed = context.Arg("confirm") == gates.ApprovalOf;
        if (context.Flag("seed") && confirmed) return true;
        if (context.Flag("seed"))
            throw new InvalidOperationException(
                $"{gates.Reason}: seeding it writes seed data into '{gates.ApprovalOf}'. "
                    + $"Run with --seed --confirm={gates.ApprovalOf} if that is intended. Nothing was applied."
            );
        if (context.TargetEnvironment.Seed)
            context.Warning("Not seeding: {0}; seeding it needs --seed --confirm={1}.", gates.Reason, gates.ApprovalOf);
        return false;
    }
}
