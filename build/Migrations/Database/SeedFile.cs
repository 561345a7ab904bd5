using System.Diagnostics;
using System.Globalization;
using System.Text;
using Build.Migrations.Sql;
using Npgsql;

namespace Build.Migrations.Database;

/// <summary><c>supabase/seed.sql</c>: its full path, and the path the CLI records (relative to the repository
/// root).</summary>
public sealed record SeedFile(string FullPath, string RecordedPath);
