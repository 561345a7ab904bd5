using System.Diagnostics;
using Build.Migrations.Sql;
using Npgsql;

namespace Build.Migrations.Database;

public sealed record RollbackResult(string Database, IReadOnlyList<RollbackStep> RolledBack, TimeSpan Total);
