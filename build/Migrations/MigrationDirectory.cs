using System.Text;
using System.Text.RegularExpressions;

namespace Build.Migrations;

/// <summary>
/// Reads <c>supabase/migrations</c> the way the Supabase CLI does: a file is a migration when its name matches
/// <c>^([0-9]+)_(.*)\.sql$</c> (version = the leading digits, name = the rest up to .sql); files apply in file name
/// order (ordinal), which for 14-digit timestamps is version order. Where the CLI silently skips a file, we report
/// an error instead, because a skipped file means environments silently drift.
/// </summary>
public static partial class MigrationDirectory
{
    /// <summary>The CLI's own file name pattern (pkg/migration/file.go).</summary>
    [GeneratedRegex(@"^([0-9]+)_(.*)\.sql$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"([0-9]{14})_init\.sql")] // unanchored, as in the CLI
    private static partial Regex LegacyInitPattern();

    public const int TimestampLength = 14;

    /// <summary>Version and name of a migration file name, or null when the CLI would skip it.</summary>
    public static (string Version, string Name)? ParseFileName(string fileName)
    {
        var match = FileNamePattern().Match(fileName);
        return match.Success && !fileName.Contains('\n') ? (match.Groups[1].Value, match.Groups[2].Value) : null;
    }

    /// <summary>
    /// Loads every migration in <paramref name="directory"/> (a missing folder is an empty set). Hidden files
    /// (.gitkeep) and sub-folders are ignored; every other file must be <c>&lt;digits&gt;_&lt;name&gt;.sql</c>.
    /// </summary>
    public static MigrationDirectoryContents Load(string directory)
    {
        var files = new List<MigrationFile>();
        var problems = new List<MigrationFileProblem>();
        if (!System.IO.Directory.Exists(directory)) return new(directory, files, problems);

        // The CLI only skips a legacy init file when it is the folder's very first entry (sub-folders and hidden files
        // count).
        var firstEntry = System
            .IO.Directory.GetFileSystemEntries(directory)
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
        var names = System
            .IO.Directory.GetFiles(directory)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var fileName in names)
        {
            var parsed = ParseFileName(fileName);
            if (parsed is not { } p)
            {
                problems.Add(
                    new(
                        fileName,
                        MigrationProblemSeverity.Error,
                        fileName.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)
                            ? "file name must be <timestamp>_<name>.sql (for example " +
                                "20240101120000_create_tenants.sql); the Supabase CLI skips this file silently. " +
                                "Rename it with a version, or create migrations with: ./build.sh " +
                                "--target=NewMigration --name=<snake_case_name>"
                            : "not a migration: only <timestamp>_<name>.sql files belong in the migrations folder " +
                                "(the Supabase CLI skips it silently). Move it elsewhere."
                    )
                );
                continue;
            }
            if (fileName == firstEntry && IsLegacyInit(fileName))
            {
                problems.Add(
                    new(
                        fileName,
                        MigrationProblemSeverity.Error,
                        "the Supabase CLI skips a first migration named <timestamp>_init.sql older than " +
                        "20211209000000 (legacy init schema), so it and we would disagree; rename it, e.g. to "
                            + p.Version
                            + "_initial_schema.sql"
                    )
                );
                continue;
            }
            if (p.Version.Length != TimestampLength)
                problems.Add(
                    new(
                        fileName,
                        MigrationProblemSeverity.Warning,
                        $"version '{p.Version}' is not a {TimestampLength}-digit UTC timestamp (yyyyMMddHHmmss, what " +
                        "`supabase migration new` writes); versions of different lengths sort by file name, not by " +
                        "number"
                    )
                );
            string content;
            try { content = MigrationFile.ReadContent(Path.Combine(directory, fileName)); }
            catch (MigrationEncodingException e)
            {
                problems.Add(new(fileName, MigrationProblemSeverity.Error, e.Problem, e.Line));
                continue;
            }
            files.Add(new MigrationFile(p.Version, p.Name, Path.Combine(directory, fileName), content));
        }

        foreach (var group in files.GroupBy(f => f.Version).Where(g => g.Count() > 1))
        {
            var clash = string.Join(", ", group.Select(f => f.FileName));
            foreach (var file in group)
                problems.Add(
                    new(
                        file.FileName,
                        MigrationProblemSeverity.Error,
                        $"duplicate version {group.Key} ({clash}): the history table keys on the version, so only " +
                        "one of them can ever be applied. Give one of them a new, later timestamp."
                    )
                );
        }
        return new(directory, files, problems);
    }

    private static bool IsLegacyInit(string fileName)
    {
        var match = LegacyInitPattern().Match(fileName);
        return match.Success && ulong.Parse(match.Groups[1].Value) < 20211209000000UL;
    }
}
