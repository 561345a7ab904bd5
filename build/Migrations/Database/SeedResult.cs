using System.Diagnostics;
using System.Globalization;
using System.Text;
using Build.Migrations.Sql;
using Npgsql;

namespace Build.Migrations.Database;

public sealed record SeedResult(string Path, bool Applied, string Hash, TimeSpan Duration);
