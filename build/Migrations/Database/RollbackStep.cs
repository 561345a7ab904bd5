using System.Diagnostics;
using Build.Migrations.Sql;
using Npgsql;

namespace Build.Migrations.Database;

public sealed record RollbackStep(AppliedMigration Migration, string DownScript);
