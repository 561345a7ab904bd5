using System.Diagnostics;
using Npgsql;

namespace Build.Backup;

public sealed record BackupResult(
    string Path,
    long Bytes,
    int ArchiveEntries,
    TimeSpan Duration,
    IReadOnlyList<string> Pruned,
    BackupManifest Manifest
);
