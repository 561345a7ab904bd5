using Npgsql;

namespace Build.Migrations.Database;

/// <summary>Another run holds the migration lock longer than we are willing to wait.</summary>
public sealed class MigrationLockTimeoutException(string message) : Exception(message);
