using System.Diagnostics;
using System.Text.RegularExpressions;
using Build.Processes;

namespace Build.Backup;

/// <summary>A pg_dump/pg_restore pair from one installation, and its major version.</summary>
public sealed record PostgresClient(string PgDump, string PgRestore, int Major);
