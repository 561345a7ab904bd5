using System.Diagnostics;
using System.Text.RegularExpressions;
using Build.Processes;

namespace Build.Backup;

/// <summary>
/// Finds pg_dump and pg_restore at least as new as a server: pg_dump refuses (or worse, half-reads) a newer server,
/// and pg_restore cannot read an archive written by a newer pg_dump. Looks at PG_DUMP (then PG_RESTORE beside it or
/// its own variable), every /usr/lib/postgresql/&lt;major&gt;/bin (newest first), then PATH; when none is new enough it
/// says what it found and exactly what to install.
/// </summary>
public static partial class PostgresClientTools
{
    public const string PgDumpVariable = "PG_DUMP";
    public const string PgRestoreVariable = "PG_RESTORE";

    [GeneratedRegex(@"\(PostgreSQL\) (\d+)")] private static partial Regex VersionPattern();

    /// <summary>The pair to use for a server (or an archive) of <paramref name="minimumMajor"/>; throws with the
    /// install hint.</summary>
    public static PostgresClient Find(
        int minimumMajor,
        Func<string, string?>? variables = null,
        IEnumerable<string>? candidateDirectories = null
    )
    {
        variables ??= Environment.GetEnvironmentVariable;
        var found = new List<(string Path, int? Major)>();
        foreach (var pgDump in Candidates(variables, candidateDirectories).Distinct())
        {
            var major = MajorOf(pgDump);
            found.Add((pgDump, major));
            if (major is null || major < minimumMajor)
                continue;
            var pgRestore =
                variables(PgRestoreVariable) is { Length: > 0 } restore
                && File.Exists(restore)
                && MajorOf(restore) >= minimumMajor
                    ? restore
                    : Path.Combine(Path.GetDirectoryName(pgDump)!, "pg_restore");
            if (File.Exists(pgRestore))
                return new PostgresClient(pgDump, pgRestore, major.Value);
        }
        var seen =
            found.Count == 0
                ? "no pg_dump at all (PG_DUMP is not set, none in /usr/lib/postgresql/*/bin nor on PATH)"
                : "only "
                    + string.Join(
                        ", ",
                        found.Select(f => $"{f.Path} ({(f.Major is { } m ? m.ToString() : "version unreadable")})")
                    );
        throw new BackupException(
            $"A PostgreSQL {minimumMajor} server needs pg_dump/pg_restore {minimumMajor} or newer; found {seen}. "
                + $"Install it: on Debian/Ubuntu `sudo apt-get install -y postgresql-client-{minimumMajor}` "
                + "(from the PGDG repository when your release lacks it: " +
                "https://www.postgresql.org/download/linux/debian/), "
                + $"or point {PgDumpVariable} at a pg_dump {minimumMajor}+ whose folder also holds pg_restore."
        );
    }

    /// <summary>Where pg_dump may be, in the order they are preferred.</summary>
    public static IEnumerable<string> Candidates(
        Func<string, string?> variables,
        IEnumerable<string>? candidateDirectories = null
    )
    {
        if (variables(PgDumpVariable) is { Length: > 0 } fromVariable)
        {
            if (!File.Exists(fromVariable))
                throw new BackupException($"{PgDumpVariable}={fromVariable} does not exist.");
            yield return fromVariable;
        }
        var directories =
            candidateDirectories
            ?? ExecutableSearch.DebianPostgresBinDirectories().Concat(ExecutableSearch.PathDirectories());
        foreach (var dir in directories)
        {
            var path = Path.Combine(dir, "pg_dump");
            if (File.Exists(path)) yield return path;
        }
    }

    /// <summary>The major version a pg_dump/pg_restore reports with --version, or null.</summary>
    public static int? MajorOf(string tool)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, ["--version"])
                { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(10_000)) { process.Kill(); return null; }
            return VersionPattern().Match(output) is { Success: true } m ? int.Parse(m.Groups[1].Value) : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
