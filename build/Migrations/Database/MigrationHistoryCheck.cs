using System.Globalization;
using Build.Migrations.Sql;

namespace Build.Migrations.Database;

/// <summary>
/// Compares local migration files with a database's history (no database access: the caller reads the history).
/// Finds what the CLI lets pass silently: history rows without a file, applied files edited afterwards, and pending
/// files older than the newest applied one.
/// </summary>
public static class MigrationHistoryCheck
{
    /// <summary>State of every version that is local, applied, or both, in version order.</summary>
    public static IReadOnlyList<VersionState> States(
        IReadOnlyList<MigrationFile> files,
        IReadOnlyList<AppliedMigration> history
    )
    {
        var byVersion = files.GroupBy(f => f.Version).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var applied = history.ToDictionary(h => h.Version, StringComparer.Ordinal);
        return byVersion
            .Keys.Union(applied.Keys)
            .Order(StringComparer.Ordinal)
            .Select(version =>
            {
                byVersion.TryGetValue(version, out var file);
                applied.TryGetValue(version, out var row);
                var state = (file, row) switch
                {
                    (null, _) => MigrationState.MissingLocally,
                    (_, null) => MigrationState.Pending,
                    _ when row.Statements is not null
                            && !row.Statements.SequenceEqual(SqlStatementSplitter.Split(file.Content)) =>
                        MigrationState.Changed,
                    _ => MigrationState.Applied,
                };
                return new VersionState(version, file?.Name ?? row?.Name, state, file, row);
            })
            .ToList();
    }

    /// <param name="repairDatabaseUrl">How the repair command names the database, e.g. <c>"$STAGING_DATABASE_URL"</c>
    /// (never a real URL: it may hold a password).</param>
    /// <param name="now">Current UTC time, for the rename suggestion of an out-of-order file.</param>
    public static IReadOnlyList<MigrationProblem> Check(
        IReadOnlyList<MigrationFile> files,
        IReadOnlyList<AppliedMigration> history,
        bool allowOutOfOrder,
        string repairDatabaseUrl,
        DateTime now
    )
    {
        var problems = new List<MigrationProblem>();
        var states = States(files, history);
        foreach (var s in states.Where(s => s.State == MigrationState.MissingLocally))
            problems.Add(
                new MigrationProblem(
                    "missing-local-file",
                    $"version {s.Version} ({s.Name ?? "no name"}) is in the database's history but there is no " +
                    $"supabase/migrations/{s.Version}_*.sql file. "
                        + $"Restore the file from git, or if it was deliberately removed mark it reverted: "
                        + $"npx supabase migration repair --status reverted {s.Version} --db-url \"" +
                        $"{repairDatabaseUrl}\""
                )
            );

        foreach (var s in states.Where(s => s.State == MigrationState.Changed))
        {
            // Statements as stored, one after another (both sides the same way, so only real edits differ).
            var diff = UnifiedDiff.Create(
                string.Join(";\n\n", s.Applied!.Statements!),
                string.Join(";\n\n", SqlStatementSplitter.Split(s.File!.Content)),
                $"applied ({s.Version}, as stored in supabase_migrations.schema_migrations)",
                $"local {Relative(s.File.Path)}"
            );
            problems.Add(
                new MigrationProblem(
                    "changed-after-apply",
                    $"{Relative(s.File.Path)} was edited after it was applied; the database still has the old " +
                    "version (the CLI would ignore this silently). "
                        + "Revert the edit and put the change in a new migration (./build.sh --target=NewMigration " +
                        $"--name=...).\n{diff}",
                    s.File.Path,
                    1
                )
            );
        }

        var newestApplied = history
            .Select(h => h.Version)
            .Where(v => states.Any(s => s.Version == v))
            .DefaultIfEmpty("")
            .Max(StringComparer.Ordinal)!;
        if (!allowOutOfOrder && newestApplied.Length > 0)
        {
            var late = states
                .Where(s => s.State == MigrationState.Pending && string.CompareOrdinal(s.Version, newestApplied) < 0)
                .ToList();
            var next = NextVersion(states.Select(s => s.Version).Max(StringComparer.Ordinal)!, now);
            foreach (var s in late)
            {
                var dir = Path.GetDirectoryName(Relative(s.File!.Path))!.Replace('\\', '/');
                problems.Add(
                    new MigrationProblem(
                        "out-of-order",
                        $"{Relative(s.File.Path)} is pending but older than {newestApplied}, the newest applied " +
                        "migration (branches merged out of order); "
                            + $"it would run after newer ones. Give it a new version: git mv {Relative(s.File.Path)} " +
                            $"{dir}/{next}_{s.File.Name}.sql "
                            + "(or pass --allow-out-of-order when the order does not matter).",
                        s.File.Path,
                        1
                    )
                );
                next = NextVersion(next, now);
            }
        }
        return problems;
    }

    /// <summary>A 14-digit UTC timestamp later than <paramref name="after"/> and not before
    /// <paramref name="now"/>.</summary>
    public static string NextVersion(string after, DateTime now)
    {
        var candidate = now.ToUniversalTime();
        if (
            DateTime.TryParseExact(
                after,
                "yyyyMMddHHmmss",
                CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal,
                out var last
            )
            && last >= candidate.AddTicks(-(candidate.Ticks % TimeSpan.TicksPerSecond))
        )
            candidate = last.AddSeconds(1);
        return candidate.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
    }

    /// <summary>Paths in messages are relative to the working directory when under it
    /// (supabase/migrations/...).</summary>
    internal static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace('\\', '/');
    }
}
