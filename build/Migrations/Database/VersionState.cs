using System.Globalization;
using Build.Migrations.Sql;

namespace Build.Migrations.Database;

public sealed record VersionState(
    string Version,
    string? Name,
    MigrationState State,
    MigrationFile? File,
    AppliedMigration? Applied
);
