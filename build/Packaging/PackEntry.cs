namespace Build.Packaging;

/// <summary>One thing in the artifact: <see cref="ArchivePath"/> is relative to the release root,
/// '/'-separated.</summary>
public sealed record PackEntry(
    string ArchivePath,
    PackEntryKind Kind,
    string SourcePath,
    UnixFileMode Mode,
    DateTimeOffset Modified,
    long Length,
    string? LinkTarget
);
