using System.Diagnostics;
using Build.Migrations.Database;

namespace Build.Deploy;

/// <summary>What <c>CleanLocal --delete</c> removes: the repository's <c>.local/</c> folder and the local PostgreSQL
/// cluster where it lives outside it (<see cref="LocalDatabase.DirectoryFor"/>), nothing else. Configured rehearsal
/// folders outside <c>.local/</c> are named, never deleted. Links inside are removed as links: their targets
/// stay.</summary>
public sealed class LocalCleanup
{
    /// <summary>One folder to remove, measured without following links.</summary>
    public sealed record Folder(string Path, string What, long Files, long Bytes)
    {
        public string Size => $"{Files} file{(Files == 1 ? "" : "s")}, {Bytes / 1024.0 / 1024.0:0.0} MB";
    }

    private LocalCleanup(IReadOnlyList<Folder> folders, IReadOnlyList<string> keptOutside)
    {
        Folders = folders;
        KeptOutside = keptOutside;
    }

    /// <summary>What --delete removes (only folders that exist).</summary>
    public IReadOnlyList<Folder> Folders { get; }

    /// <summary>Configured local folders outside .local/ that exist: listed for a person, never deleted.</summary>
    public IReadOnlyList<string> KeptOutside { get; }

    /// <param name="configured">The local environment's own folders (release base path, PM2 home, backups),
    /// absolute.</param>
    public static LocalCleanup Plan(string repositoryRoot, IEnumerable<string> configured)
    {
        var local = Path.GetFullPath(Path.Combine(repositoryRoot, ".local"));
        var folders = new List<Folder>();
        if (Directory.Exists(local))
            folders.Add(Measure(local, "releases, PM2 home, local database and backups of the rehearsal"));
        var cluster = Path.GetFullPath(LocalDatabase.DirectoryFor(repositoryRoot));
        if (!Inside(cluster, local) && Directory.Exists(cluster))
            folders.Add(Measure(cluster, "the local PostgreSQL cluster (kept outside the checkout)"));
        var kept = configured
            .Select(Path.GetFullPath)
            .Where(p => !Inside(p, local) && Directory.Exists(p))
            .Distinct()
            .ToList();
        return new LocalCleanup(folders, kept);
    }

    /// <summary>Deletes every planned folder; refuses all of them first when a PostgreSQL still runs on a cluster
    /// inside one.</summary>
    public void Delete(Action<Folder> deleted)
    {
        foreach (var folder in Folders)
            if (RunningPostgres(folder.Path) is { } pidFile)
                throw new InvalidOperationException(
                    $"A PostgreSQL server still runs on {Path.GetDirectoryName(pidFile)} ({pidFile}): "
                        + "another run is using the local database. Nothing was deleted; run CleanLocal --delete " +
                        "again once it has finished."
                );
        foreach (var folder in Folders)
        {
            Directory.Delete(folder.Path, recursive: true);
            deleted(folder);
        }
    }

    private static bool Inside(string path, string folder) =>
        path == folder || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static Folder Measure(string path, string what)
    {
        long files = 0, bytes = 0;
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(path)]);
        while (pending.Count > 0)
            foreach (var entry in pending.Pop().EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is null && entry is DirectoryInfo directory) { pending.Push(directory); continue; }
                files++;
                if (entry.LinkTarget is null && entry is FileInfo file) bytes += file.Length;
            }
        return new Folder(path, what, files, bytes);
    }

    /// <summary>A postmaster.pid (at most two levels down, where ScratchPostgres keeps its data) whose process
    /// lives.</summary>
    private static string? RunningPostgres(string folder)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(
                folder,
                "postmaster.pid",
                new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3 }
            );
        }
        catch (IOException)
        {
            return null;
        }
        foreach (var pidFile in candidates)
        {
            var first = File.ReadLines(pidFile).FirstOrDefault();
            if (!int.TryParse(first, out var pid)) continue;
            try
            {
                using var process = Process.GetProcessById(pid);
                if (!process.HasExited) return pidFile;
            }
            catch (ArgumentException) { } // no such process: a stale file after a crash
        }
        return null;
    }
}
