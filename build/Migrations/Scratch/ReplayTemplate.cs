using System.Security.Cryptography;
using System.Text;
using Build.Migrations.Database;
using Build.Migrations.Platform;
using Npgsql;

namespace Build.Migrations.Scratch;

/// <summary>
/// The database <c>replay_template</c> on the warm scratch server: the platform layer plus the migrations a previous
/// replay applied (never the seed). A replay clones it and applies only the files after that prefix. It is trusted only
/// while three hashes hold: the layer key in its comment (the platform layer, the stand-ins and this format), its
/// history (version and SHA-256 of each file, in order) is a prefix of the local files, and a fingerprint of its schema
/// and data equals the one recorded when it was saved. Anything else (an edited earlier file, a removed or inserted
/// file, a changed layer, a template changed by hand) drops it and the replay starts from an empty database.
/// </summary>
public sealed class ReplayTemplate(ScratchPostgres server, Action<string> progress)
{
    public const string Name = "replay_template";
    private const string CommentPrefix = "muva replay template";

    /// <summary>What the template's content depends on besides the migration files.</summary>
    public static string LayerKey { get; } = Hash("replay-template v1\n" + SupabasePlatform.Sql + "\n" +
        string.Join("\n", ExtensionStandIns.All.Select(s => s.Name + "\n" + ExtensionStandIns.Resource(s.Name)))) [..16];

    /// <summary>A new database for a replay: a clone of the template with <c>Reused</c> files already in it, or an
    /// empty one (Reused 0, the platform layer still to install) when there is no template it can trust. With
    /// <paramref name="databaseWhenComplete"/> false and a template that holds every file, no database at all (null):
    /// nothing would run on the clone, and cloning a template of many tables is most of a replay's time.</summary>
    public async Task<(string? Database, int Reused)> CloneAsync(
        IReadOnlyList<MigrationFile> files, CancellationToken cancellationToken, bool databaseWhenComplete = true)
    {
        var (reusable, why) = await CheckAsync(files, cancellationToken);
        if (reusable is null)
        {
            if (why is not null) progress($"Replay template not used: {why}; replaying every file");
            await DropAsync(cancellationToken);
            return (await server.CreateDatabaseAsync("replay", cancellationToken), 0);
        }
        if (reusable.Value == files.Count && !databaseWhenComplete) return (null, reusable.Value);
        var database = await server.CreateDatabaseAsync("replay", cancellationToken, template: Name);
        progress($"Replay starts from the template of the first {reusable.Value} file(s) (hashes checked): {files.Count - reusable.Value} to replay");
        return (database, reusable.Value);
    }

    /// <summary>Makes <paramref name="database"/> (migrations applied, no seed yet) the template for the next replay.</summary>
    public async Task SaveAsync(string database, CancellationToken cancellationToken)
    {
        var source = new NpgsqlConnectionStringBuilder(database).Database!;
        NpgsqlConnection.ClearAllPools();
        await DropAsync(cancellationToken);
        await ExecuteAsync(server.AdminConnectionString, $"CREATE DATABASE {Name} TEMPLATE \"{source}\" STRATEGY FILE_COPY", cancellationToken);
        var fingerprint = await FingerprintAsync(cancellationToken);
        await ExecuteAsync(server.AdminConnectionString, $"COMMENT ON DATABASE {Name} IS '{CommentPrefix} layer={LayerKey} fingerprint={fingerprint}'", cancellationToken);
    }

    /// <summary>The number of leading <paramref name="files"/> the template holds, or null and why not.</summary>
    internal async Task<(int? Reusable, string? Why)> CheckAsync(IReadOnlyList<MigrationFile> files, CancellationToken cancellationToken)
    {
        string? comment;
        await using (var admin = new NpgsqlConnection(Unpooled(server.AdminConnectionString)))
        {
            await admin.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = Name } } };
            var found = await command.ExecuteScalarAsync(cancellationToken);
            if (found is null) return (null, null);
            comment = found as string;
        }
        var words = (comment ?? "").Split(' ');
        if (!(comment ?? "").StartsWith(CommentPrefix, StringComparison.Ordinal) || !words.Contains($"layer={LayerKey}"))
            return (null, "its key does not match this platform layer (layer hash) or its save did not finish");
        var recorded = words.FirstOrDefault(w => w.StartsWith("fingerprint=", StringComparison.Ordinal))?["fingerprint=".Length..];
        if (recorded is null || recorded != await FingerprintAsync(cancellationToken))
            return (null, "its schema or data changed since it was saved (fingerprint)");

        var history = await HistoryAsync(cancellationToken);
        if (history.Count > files.Count) return (null, $"it holds {history.Count} file(s), more than the {files.Count} here (a file was removed)");
        for (var i = 0; i < history.Count; i++)
        {
            var file = files[i];
            if (history[i].Version != file.Version)
                return (null, $"file {i + 1} is {file.FileName} here but {history[i].Version} in the template (a file was added before others or removed)");
            if (history[i].Checksum != SupabaseMigrationJournal.Checksum(file.Content))
                return (null, $"{file.FileName} changed since the template was made (SHA-256)");
        }
        return (history.Count, null);
    }

    private async Task<List<(string Version, string? Checksum)>> HistoryAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Unpooled(OnTemplate()));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM supabase_migrations.schema_migrations ORDER BY version", connection);
        var rows = new List<(string, string?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        return rows;
    }

    /// <summary>MD5 over every relation's columns, every function's source, and every table's rows (query_to_xml):
    /// a template changed by hand no longer matches what was recorded.</summary>
    internal async Task<string> FingerprintAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            WITH parts AS (
              SELECT 'r ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || coalesce((
                       SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') AS part
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
              UNION ALL
              SELECT 'f ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || md5(coalesce(p.prosrc, ''))
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
              UNION ALL
              SELECT 'd ' || t.schemaname || '.' || t.tablename || ' ' || md5(query_to_xml(format('SELECT * FROM %I.%I', t.schemaname, t.tablename), true, false, '')::text)
              FROM pg_tables t WHERE t.schemaname NOT IN ('pg_catalog', 'information_schema')
            )
            SELECT md5(coalesce(string_agg(part, E'\n' ORDER BY part), '')) FROM parts
            """;
        await using var connection = new NpgsqlConnection(Unpooled(OnTemplate()));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private Task DropAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(server.AdminConnectionString, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", cancellationToken);

    private string OnTemplate() => new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = Name }.ConnectionString;

    // A pooled session left on the template would make the next CREATE DATABASE ... TEMPLATE fail ("being accessed").
    private static string Unpooled(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
