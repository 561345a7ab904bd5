namespace Build.Processes;

/// <summary>Where programs are looked for: the PATH, and Debian's versioned PostgreSQL folders.</summary>
public static class ExecutableSearch
{
    /// <summary>The folders of PATH, in order.</summary>
    public static IEnumerable<string> PathDirectories() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(
            Path.PathSeparator,
            StringSplitOptions.RemoveEmptyEntries
        );

    /// <summary>The first <c>folder/name</c> on PATH that exists, or null.</summary>
    public static string? OnPath(string name) =>
        PathDirectories().Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    /// <summary>/usr/lib/postgresql/&lt;major&gt;/bin folders, newest major first (Debian installs several side by
    /// side).</summary>
    public static IEnumerable<string> DebianPostgresBinDirectories() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var version) ? version : -1)
                .Select(d => Path.Combine(d, "bin"))
            : [];
}
