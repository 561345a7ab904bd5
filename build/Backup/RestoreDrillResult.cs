using Build.Migrations.Platform;
using Build.Migrations.Scratch;
using Npgsql;

namespace Build.Backup;

/// <summary>What a restore drill found: the manifest it checked against, and restore errors it tolerated.</summary>
public sealed record RestoreDrillResult(
    BackupManifest Manifest,
    int TablesCompared,
    long RowsCompared,
    IReadOnlyList<string> RestoreErrors,
    TimeSpan Duration
);
