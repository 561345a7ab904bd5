namespace Build.Packaging;

/// <summary>
/// Every entry the configured pack paths produce, merged and sorted ordinally (so a parent always precedes its
/// children and two packs of the same tree list entries in the same order).
/// </summary>
public sealed class PackPlan
{
    private const UnixFileMode SynthesizedDirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly SortedDictionary<string, (PackEntry Entry, string ConfiguredSource)> _entries = new(
        StringComparer.Ordinal
    );
    private readonly List<string> _warnings = [];

    private PackPlan() { }

    public IReadOnlyList<PackEntry> Entries => _entries.Values.Select(v => v.Entry).ToList();
    /// <summary>Symlinks that will dangle on the host (absolute, or pointing out of the packed tree).</summary>
    public IReadOnlyList<string> Warnings => _warnings;
    public int FileCount => _entries.Values.Count(v => v.Entry.Kind == PackEntryKind.File);
    public int SymlinkCount => _entries.Values.Count(v => v.Entry.Kind == PackEntryKind.Symlink);
    public long TotalBytes => _entries.Values.Sum(v => v.Entry.Length);

    /// <param name="appRoot">The app folder the sources are relative to.</param>
    /// <param name="paths">Source => destination, in configuration order.</param>
    /// <param name="reservedPaths">Archive paths the packer writes itself (manifest.json): a packed file there is an
    /// error.</param>
    public static PackPlan Create(
        string appRoot,
        IReadOnlyList<PackedPath> paths,
        IReadOnlyCollection<string> reservedPaths
    )
    {
        if (paths.Count == 0)
            throw new InvalidOperationException("project.app.pack is empty in the configuration: nothing to pack.");
        var plan = new PackPlan();
        foreach (var path in paths)
            plan.Add(appRoot, path);
        foreach (var reserved in reservedPaths)
            if (plan._entries.TryGetValue(reserved, out var clash))
                throw new InvalidOperationException(
                    $"'{clash.Entry.SourcePath}' (from pack source '{clash.ConfiguredSource}') would land at " +
                    $"{reserved}, which the artifact reserves for its own {reserved}."
                );
        plan.LeaveOutEnvironmentFiles();
        return plan;
    }

    /// <summary>
    /// Next.js copies <c>.env</c> and <c>.env.production</c> into <c>.next/standalone</c>. In a release they would
    /// carry the build machine's values to every environment, and <c>.env.production</c> would even override the host's
    /// <c>shared/.env</c> (Next.js gives it precedence). So no <c>.env*</c> file at the release root is packed.
    /// </summary>
    private void LeaveOutEnvironmentFiles()
    {
        var envFiles = _entries
            .Keys.Where(p => !p.Contains('/') && (p == ".env" || p.StartsWith(".env.", StringComparison.Ordinal)))
            .ToList();
        foreach (var path in envFiles)
        {
            _warnings.Add(
                $"left out {path} ({_entries[path].Entry.SourcePath}): a release takes its environment from " +
                "shared/.env on the host, never from the build machine."
            );
            _entries.Remove(path);
        }
    }

    private void Add(string appRoot, PackedPath path)
    {
        var source = Path.GetFullPath(Path.Combine(appRoot, path.Source));
        var destination = NormalizeDestination(path);
        // A configured source that is itself a symlink is followed: the release gets the content, not the link.
        var isDirectory = Directory.Exists(source);
        if (!isDirectory && !File.Exists(source))
            throw new FileNotFoundException(MissingSourceMessage(path, source), source);

        AddParents(destination, path.Source);
        if (isDirectory)
        {
            if (destination.Length > 0) AddEntry(DirectoryEntry(new DirectoryInfo(source), destination), path.Source);
            Walk(new DirectoryInfo(source), destination, source, path.Source);
        }
        else
        {
            // A single file: "." or a trailing '/' means "into that folder, same name".
            var archivePath = destination.Length == 0 || path.Destination.EndsWith('/')
                ? Join(destination, Path.GetFileName(source))
                : destination;
            AddParents(archivePath, path.Source);
            var file = new FileInfo(source);
            var resolved = file.LinkTarget is null ? file : (FileInfo)file.ResolveLinkTarget(returnFinalTarget: true)!;
            AddEntry(FileOrLink(resolved, archivePath, resolved.FullName), path.Source);
        }
    }

    private static string MissingSourceMessage(PackedPath path, string fullPath)
    {
        var message =
            $"Pack path '{path.Source}' (project.app.pack, => '{path.Destination}') does not exist: {fullPath}.";
        // The classic Next.js standalone trap: the standalone folder has neither of these, and without them every asset
        // 404s.
        if (path.Source.Replace('\\', '/').TrimEnd('/') is ".next/static" or "public")
            message +=
                $" A Next.js standalone release without '{path.Source}' would serve 404 for its assets; run the " +
                "build first (or check next.config's output: 'standalone').";
        else if (path.Source.Contains("standalone", StringComparison.Ordinal))
            message += " Is output: 'standalone' set in next.config, and did the build run?";
        return message;
    }

    private void Walk(DirectoryInfo directory, string archiveDirectory, string packRoot, string configuredSource)
    {
        var options = new EnumerationOptions
        {
            // The default skips "hidden" entries, which on Unix means every dot-file: .next would vanish.
            AttributesToSkip = 0,
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
        };
        foreach (
            var child in directory.EnumerateFileSystemInfos("*", options).OrderBy(c => c.Name, StringComparer.Ordinal)
        )
        {
            var archivePath = Join(archiveDirectory, child.Name);
            if (child.LinkTarget is null && child is DirectoryInfo childDirectory)
            {
                AddEntry(DirectoryEntry(childDirectory, archivePath), configuredSource);
                Walk(childDirectory, archivePath, packRoot, configuredSource);
            }
            else
            {
                var entry = FileOrLink(child, archivePath, child.FullName);
                if (entry.Kind == PackEntryKind.Symlink) CheckLinkStaysInside(entry, packRoot);
                AddEntry(entry, configuredSource);
            }
        }
    }

    private static PackEntry DirectoryEntry(DirectoryInfo directory, string archivePath) =>
        new(
            archivePath,
            PackEntryKind.Directory,
            directory.FullName,
            directory.UnixFileMode,
            directory.LastWriteTimeUtc,
            0,
            null
        );

    private static PackEntry FileOrLink(FileSystemInfo info, string archivePath, string sourcePath)
    {
        if (info.LinkTarget is { } target)
            return new PackEntry(
                archivePath,
                PackEntryKind.Symlink,
                sourcePath,
                (UnixFileMode)0b111_111_111,
                info.LastWriteTimeUtc,
                0,
                target
            );
        if (info is not FileInfo file || (info.Attributes & FileAttributes.Device) != 0 || !File.Exists(sourcePath))
            throw new InvalidOperationException(
                $"{sourcePath} is neither a regular file, a folder nor a symlink: it cannot go into a release."
            );
        return new PackEntry(
            archivePath,
            PackEntryKind.File,
            sourcePath,
            file.UnixFileMode,
            file.LastWriteTimeUtc,
            file.Length,
            null
        );
    }

    private void CheckLinkStaysInside(PackEntry link, string packRoot)
    {
        var target = link.LinkTarget!;
        var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(link.SourcePath)!, target));
        var root = packRoot.TrimEnd('/') + "/";
        if (Path.IsPathRooted(target) || !(resolved + "/").StartsWith(root, StringComparison.Ordinal))
            _warnings.Add(
                $"{link.ArchivePath} is a symlink to {target}, outside the packed folder {packRoot}: it will dangle " +
                "on the host."
            );
    }

    private void AddParents(string archivePath, string configuredSource)
    {
        var parts = archivePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < parts.Length; i++)
        {
            var parent = string.Join('/', parts[..i]);
            if (!_entries.ContainsKey(parent))
                _entries[parent] = (
                    new PackEntry(
                        parent,
                        PackEntryKind.Directory,
                        "",
                        SynthesizedDirectoryMode,
                        DateTimeOffset.UnixEpoch,
                        0,
                        null
                    ),
                    configuredSource
                );
        }
    }

    private void AddEntry(PackEntry entry, string configuredSource)
    {
        if (_entries.TryGetValue(entry.ArchivePath, out var existing))
        {
            // Two packs may share folders (.next from the standalone build and .next/static), never a file.
            if (existing.Entry.Kind == PackEntryKind.Directory && entry.Kind == PackEntryKind.Directory) return;
            throw new InvalidOperationException(
                $"Two pack paths put something at '{entry.ArchivePath}': {Describe(existing.Entry)} (from '" +
                $"{existing.ConfiguredSource}') "
                    + $"and {Describe(entry)} (from '{configuredSource}'). Change project.app.pack so that they do " +
                    "not overlap."
            );
        }
        _entries[entry.ArchivePath] = (entry, configuredSource);
    }

    private static string Describe(PackEntry entry) =>
        entry.SourcePath.Length == 0 ? $"the folder {entry.ArchivePath}" : entry.SourcePath;

    private static string NormalizeDestination(PackedPath path)
    {
        var destination = path.Destination.Replace('\\', '/').Trim();
        if (destination.StartsWith('/') || Path.IsPathRooted(destination))
            throw new InvalidOperationException(
                $"Pack destination '{path.Destination}' (for '{path.Source}') must be relative to the release folder."
            );
        var parts = destination.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
            throw new InvalidOperationException(
                $"Pack destination '{path.Destination}' (for '{path.Source}') must stay inside the release folder " +
                "(no '..')."
            );
        return string.Join('/', parts);
    }

    private static string Join(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;
}
