using System.Diagnostics;
using System.Globalization;
using System.Text;
using Build.Migrations.Sql;
using Npgsql;

namespace Build.Migrations.Database;

public sealed record AppliedFile(MigrationFile File, TimeSpan Duration, int Batch, bool Transactional);
