using Npgsql;

namespace Build.Backup;

/// <summary>What a backup records about a database and a restore checks again: table row counts and the newest
/// migration.</summary>
public static class DatabaseFacts
{
    /// <summary>Ordinary tables that pg_dump dumps and we can read: not system, not an extension's own.</summary>
    private const string TablesSql = """
        SELECT n.nspname, c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND
              d.deptype = 'e')
          AND has_table_privilege(c.oid, 'SELECT')
        ORDER BY 1, 2
        """;

    /// <summary>Exact row counts of every table (in <paramref name="schemas"/> when given), keyed
    /// "schema.table".</summary>
    public static async Task<SortedDictionary<string, long>> CountRowsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        IReadOnlyCollection<string>? schemas = null,
        CancellationToken cancellationToken = default
    )
    {
        var tables = new List<(string Schema, string Table)>();
        await using (var list = new NpgsqlCommand(TablesSql, connection, transaction))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                tables.Add((reader.GetString(0), reader.GetString(1)));

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (schema, table) in tables.Where(t => schemas is null || schemas.Contains(t.Schema)))
        {
            await using var count = new NpgsqlCommand(
                $"SELECT count(*) FROM {Quote(schema)}.{Quote(table)}",
                connection,
                transaction
            );
            counts[$"{schema}.{table}"] = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        return counts;
    }

    /// <summary>The newest applied migration as "version_name", or null when the database has no Supabase
    /// history.</summary>
    public static async Task<string?> NewestMigrationAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        CancellationToken cancellationToken = default
    )
    {
        await using var exists = new NpgsqlCommand(
            "SELECT to_regclass('supabase_migrations.schema_migrations') IS NOT NULL",
            connection,
            transaction
        );
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            return null;
        await using var newest = new NpgsqlCommand(
            "SELECT version || coalesce('_' || nullif(name, ''), '') FROM supabase_migrations.schema_migrations " +
            "ORDER BY version DESC LIMIT 1",
            connection, transaction);
        return await newest.ExecuteScalarAsync(cancellationToken) as string;
    }

    public static async Task<(string Version, int Major)> ServerVersionAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        CancellationToken cancellationToken = default
    )
    {
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('server_version'), current_setting('server_version_num')::int",
            connection,
            transaction
        );
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetString(0).Split(' ')[0], reader.GetInt32(1) / 10000);
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>Human lines for each difference between expected and actual counts (missing tables included); empty
    /// when equal.</summary>
    public static List<string> CompareCounts(
        IReadOnlyDictionary<string, long> expected,
        IReadOnlyDictionary<string, long> actual
    )
    {
        var problems = new List<string>();
        foreach (var (table, rows) in expected)
            if (!actual.TryGetValue(table, out var got))
                problems.Add($"{table}: {rows} row(s) expected, the table is missing");
            else if (got != rows)
                problems.Add($"{table}: {rows} row(s) expected, {got} found");
        foreach (var table in actual.Keys.Except(expected.Keys))
            problems.Add($"{table}: not in the backup, {actual[table]} row(s) found");
        return problems;
    }
}
