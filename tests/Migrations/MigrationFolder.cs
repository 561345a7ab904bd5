using Build.Migrations;
using Npgsql;

namespace Build.Tests.Migrations;

/// <summary>A temporary supabase/ folder with migration files written by a test.</summary>
public sealed class MigrationFolder : IDisposable
{
    public MigrationFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "migrations-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Migrations);
    }

    public string Root { get; }
    public string Migrations => Path.Combine(Root, "supabase", "migrations");
    public string Rollbacks => Path.Combine(Root, "supabase", "rollbacks");

    public MigrationFolder Add(string version, string name, string sql)
    {
        File.WriteAllText(Path.Combine(Migrations, $"{version}_{name}.sql"), sql);
        return this;
    }

    public MigrationFolder AddRollback(string version, string name, string sql)
    {
        Directory.CreateDirectory(Rollbacks);
        File.WriteAllText(Path.Combine(Rollbacks, $"{version}_{name}.sql"), sql);
        return this;
    }

    public string WriteSeed(string sql)
    {
        var path = Path.Combine(Root, "supabase", "seed.sql");
        File.WriteAllText(path, sql);
        return path;
    }

    public MigrationDirectoryContents Load() => MigrationDirectory.Load(Migrations);

    public void Dispose()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}

/// <summary>Small helpers to look at a test database.</summary>
public static class TestDatabase
{
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public static async Task<List<string>> ColumnAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.IsDBNull(0) ? "" : Convert.ToString(reader.GetValue(0))!);
        return values;
    }

    public static Task<List<string>> HistoryAsync(string connectionString) =>
        ColumnAsync(connectionString, "SELECT version FROM supabase_migrations.schema_migrations ORDER BY version");

    public static async Task<List<string>> TablesAsync(string connectionString, string schema = "public") =>
        await ColumnAsync(
            connectionString,
            $"SELECT tablename FROM pg_tables WHERE schemaname = '{schema}' ORDER BY tablename"
        );
}
