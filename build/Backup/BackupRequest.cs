using System.Diagnostics;
using Npgsql;

namespace Build.Backup;

public sealed record BackupRequest(
    string ConnectionString,
    string Directory,
    string Environment,
    int KeepDays,
    string? PgDumpPath = null,
    string? Commit = null
);
