using System.Diagnostics;
using System.Globalization;
using System.Text;
using Build.Migrations.Sql;
using Npgsql;

namespace Build.Migrations.Database;

public sealed record MigrationRunResult(
    string Database,
    MigrationPlan Plan,
    IReadOnlyList<AppliedFile> Applied,
    int AlreadyApplied,
    TimeSpan LockWait,
    TimeSpan Total,
    SeedResult? Seed
)
{
    /// <summary>A GitHub job-summary table of what ran.</summary>
    public string ToMarkdown(string environment)
    {
        var md = new StringBuilder($"### Migrations on {environment}\n\n");
        if (Applied.Count == 0) md.AppendLine($"No pending migrations ({AlreadyApplied} already applied).");
        else
        {
            md.AppendLine("| # | Migration | Transaction | Duration |\n|---|---|---|---:|");
            for (var i = 0; i < Applied.Count; i++)
            {
                var a = Applied[i];
                md.AppendLine(
                    $"| {i + 1} | `{a.File.FileName}` | " +
                    $"{(a.Transactional ? $"batch {a.Batch}" : "own (non-transactional)")} | " +
                    $"{a.Duration.TotalMilliseconds:0} ms |"
                );
            }
            md.AppendLine(
                $"\n{Applied.Count} applied, {AlreadyApplied} already applied, total {Total.TotalSeconds:0.00} s"
                    + (
                        LockWait > TimeSpan.FromSeconds(1)
                            ? $" (waited {LockWait.TotalSeconds:0} s for the migration lock)"
                            : ""
                    )
                    + "."
            );
        }
        if (Seed is not null)
            md.AppendLine(
                $"\nSeed `{Seed.Path}`: {(Seed.Applied ? "applied" : "unchanged since last seeded, skipped")}."
            );
        return md.ToString();
    }
}
