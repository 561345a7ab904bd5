using System.Globalization;

namespace Build.Supabase;

/// <summary>Branches as a plain table (logs have no terminal): name, status, age (billed by the hour), git branch,
/// id.</summary>
public static class BranchListing
{
    public static string Table(IReadOnlyList<SupabaseBranch> branches, DateTimeOffset now)
    {
        string[] header = ["branch", "status", "running for", "git branch", "id"];
        var rows = branches.Select(b => new[]
        {
            b.Name + (b.IsDefault ? " (default)" : b.Persistent ? " (persistent)" : ""),
            b.Status ?? "unknown",
            b.CreatedAt is { } at ? Age(now - at) : "unknown",
            b.GitBranch ?? "-",
            b.Id,
        }).Prepend(header).ToList();
        return PlainTable.Render(rows);
    }

    /// <summary>3d 4h, 5h 12m, 7m: how long a branch has run (and been billed).</summary>
    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        return age.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays}d {age.Hours}h")
            : age.TotalHours >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours}h {age.Minutes}m")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes}m");
    }

    /// <summary>Total hours all non-default branches have run: what the bill counts.</summary>
    public static double BranchHours(IReadOnlyList<SupabaseBranch> branches, DateTimeOffset now) =>
        branches
            .Where(b => !b.IsDefault && b.CreatedAt is not null)
            .Sum(b => Math.Max(0, (now - b.CreatedAt!.Value).TotalHours));
}
