using System.Data;
using System.Security.Cryptography;
using System.Text;
using Build.Migrations.Sql;
using SqlScript = DbUp.Engine.SqlScript;
using DbUp.Engine;
using DbUp.Engine.Transactions;
using Npgsql;

namespace Build.Migrations.Database;

/// <summary>
/// DbUp journal over the Supabase CLI's own history table, <c>supabase_migrations.schema_migrations</c>, created
/// exactly as the CLI (2.117.0) creates it, plus three nullable columns of ours the CLI ignores (applied_at,
/// applied_by, checksum). Each applied file stores its version, name and statements split the way the CLI splits them,
/// because
/// <c>supabase migration fetch</c> rebuilds files from that column and our changed-file check compares against it.
/// </summary>
public sealed class SupabaseMigrationJournal : IJournal
{
    public const string Schema = "supabase_migrations";
    public const string Table = "supabase_migrations.schema_migrations";

    /// <summary>The CLI's own statements first, verbatim in effect, then our optional columns.</summary>
    public static readonly IReadOnlyList<string> EnsureTableStatements =
    [
        "CREATE SCHEMA IF NOT EXISTS supabase_migrations",
        "CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY)",
        "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]",
        "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text",
        "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS applied_at timestamptz DEFAULT " +
        "now()",
        "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS applied_by text",
        "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS checksum text",
    ];

    public const string InsertSql =
        "INSERT INTO supabase_migrations.schema_migrations (version, name, statements, applied_at, applied_by, " +
        "checksum) "
        + "VALUES ($1, $2, $3, now(), $4, $5)";

    /// <summary>Column name of the version an insert returns (no migration's own SELECT uses it); the second column is
    /// the server's clock when the row was written.</summary>
    public const string ReturningMarker = "muva_applied_version";

    public const string DeleteSql = "DELETE FROM supabase_migrations.schema_migrations WHERE version = $1";

    private readonly Func<IConnectionManager>? _connectionManager;

    /// <param name="connectionManager">DbUp's connection manager (only needed when DbUp's engine drives this
    /// journal).</param>
    /// <param name="appliedBy">Recorded in applied_by (for example "ApplyMigrations by ci@sha").</param>
    public SupabaseMigrationJournal(Func<IConnectionManager>? connectionManager = null, string? appliedBy = null)
    {
        _connectionManager = connectionManager;
        AppliedBy = appliedBy ?? $"{Environment.UserName}@{Environment.MachineName}";
    }

    public string AppliedBy { get; }

    public static string Checksum(string content) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>The history insert of <paramref name="file"/> as a batch command (sent in the same round trip as the
    /// file).</summary>
    /// <param name="returning">Return the version (lets a pipelined reader see the file finish).</param>
    public NpgsqlBatchCommand InsertCommand(
        MigrationFile file,
        IReadOnlyList<string> statements,
        bool returning = false
    ) =>
        new(
            returning
                ? $"{InsertSql} RETURNING version AS {ReturningMarker}, clock_timestamp() AS muva_finished_at"
                : InsertSql
        )
        {
            Parameters =
            {
                new NpgsqlParameter { Value = file.Version },
                new NpgsqlParameter { Value = file.Name },
                new NpgsqlParameter
                {
                    Value = statements.ToArray(),
                    NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text,
                },
                new NpgsqlParameter { Value = AppliedBy },
                new NpgsqlParameter { Value = Checksum(file.Content) },
            },
        };

    /// <summary>
    /// Creates the table if needed (the CLI's statements, then our columns) and reads every row, in one round trip.
    /// IF NOT EXISTS makes a concurrent CLI or runner harmless.
    /// </summary>
    public static async Task<IReadOnlyList<AppliedMigration>> EnsureTableAndReadAsync(
        NpgsqlConnection connection,
        CancellationToken cancellationToken = default
    )
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var sql in EnsureTableStatements) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SelectRows(_ => true)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        // The DDL returns no rows: the reader starts on the SELECT's result.
        return await ReadRowsAsync(reader, cancellationToken);
    }

    /// <summary>Every history row, oldest version first; empty when the table does not exist yet. Changes
    /// nothing.</summary>
    public static async Task<IReadOnlyList<AppliedMigration>> ReadAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction = null,
        CancellationToken cancellationToken = default
    )
    {
        // Our columns may be missing when only the CLI has written here so far: read them only if present.
        // (NULL: no table yet.)
        await using var read = new NpgsqlCommand(
            "SELECT array_agg(attname::text) FROM pg_attribute WHERE attrelid = " +
            "to_regclass('supabase_migrations.schema_migrations') AND attnum > 0 AND NOT attisdropped",
            connection, transaction);
        if (await read.ExecuteScalarAsync(cancellationToken) is not string[] names) return [];
        var columns = new HashSet<string>(names, StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(SelectRows(columns.Contains), connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadRowsAsync(reader, cancellationToken);
    }

    private static string SelectRows(Func<string, bool> hasColumn)
    {
        string Column(string name, string type) => hasColumn(name) ? name : $"NULL::{type}";
        // Ordered like the CLI: versions compare as text there too (all 14 digits in practice).
        return $"SELECT version, {Column("name", "text")}, {Column("statements", "text[]")}, " +
            $"{Column("applied_at", "timestamptz")}, "
            + $"{Column("applied_by", "text")} FROM supabase_migrations.schema_migrations ORDER BY version";
    }

    private static async Task<IReadOnlyList<AppliedMigration>> ReadRowsAsync(
        NpgsqlDataReader reader,
        CancellationToken cancellationToken
    )
    {
        var rows = new List<AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new AppliedMigration(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<string[]>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        return rows;
    }

    // ---- DbUp's IJournal, for DbUp's own UpgradeEngine (our runner uses the async methods above directly) ----

    public string[] GetExecutedScripts() =>
        Manager()
            .ExecuteCommandsWithManagedConnection(factory =>
            {
                using var exists = factory();
                exists.CommandText = "SELECT to_regclass('supabase_migrations.schema_migrations') IS NOT NULL";
                if (!(bool)exists.ExecuteScalar()!)
                    return Array.Empty<string>();
                using var command = factory();
                command.CommandText =
                    "SELECT version, name FROM supabase_migrations.schema_migrations ORDER BY version";
                using var reader = command.ExecuteReader();
                var names = new List<string>();
                while (reader.Read())
                    names.Add(
                        MigrationNames.FileName(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1))
                    );
                return names.ToArray();
            });

    public void StoreExecutedScript(SqlScript script, Func<IDbCommand> dbCommandFactory)
    {
        var (version, name) = MigrationNames.Parse(script.Name);
        var file = new MigrationFile(version, name, script.Name, script.Contents);
        using var command = (NpgsqlCommand)dbCommandFactory();
        command.CommandText = InsertSql;
        foreach (NpgsqlParameter p in InsertCommand(file, SqlStatementSplitter.Split(script.Contents)).Parameters)
            command.Parameters.Add(p.Clone());
        command.ExecuteNonQuery();
    }

    public void EnsureTableExistsAndIsLatestVersion(Func<IDbCommand> dbCommandFactory)
    {
        foreach (var sql in EnsureTableStatements)
        {
            using var command = dbCommandFactory();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private IConnectionManager Manager() =>
        _connectionManager?.Invoke()
        ?? throw new InvalidOperationException("This journal was created without a DbUp connection manager.");
}
