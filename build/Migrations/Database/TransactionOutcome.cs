using Npgsql;

namespace Build.Migrations.Database;

/// <summary>
/// Ends a failed batch's transaction and finds out, from the server, how it really ended: a file can have committed
/// part of it (COMMIT AND CHAIN), or the session can have died with it. Nothing is reported as rolled back unless
/// <c>txid_status</c> says aborted and the history holds none of the batch's files.
/// </summary>
public static class TransactionOutcome
{
    /// <summary>The state of transaction <paramref name="transactionId"/> as a new session sees it (Unknown when
    /// unreachable).</summary>
    public static async Task<TransactionState> CheckAsync(
        string connectionString,
        long transactionId,
        CancellationToken cancellationToken = default
    ) => (await QueryAsync(connectionString, transactionId, [], cancellationToken)).State;

    /// <summary>Rolls back what the session still holds (if it can), then checks the outcome from a new
    /// session.</summary>
    public static async Task<TransactionOutcomeReport> EndFailedAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string connectionString,
        long? transactionId,
        IReadOnlyList<MigrationFile> files
    )
    {
        try
        {
            if (connection.State == System.Data.ConnectionState.Open)
                await transaction.RollbackAsync(CancellationToken.None);
        }
        // The transaction already ended (a file's own COMMIT/ROLLBACK) or the session broke: the check below tells
        // which.
        catch (Exception e)
            when (e is NpgsqlException or InvalidOperationException or ObjectDisposedException or IOException) { }

        if (transactionId is not { } id)
            return new TransactionOutcomeReport(
                TransactionState.Unknown,
                null,
                [],
                "the failure came before the transaction's id was read"
            );
        return await QueryAsync(connectionString, id, files.Select(f => f.Version).ToArray(), CancellationToken.None);
    }

    private static async Task<TransactionOutcomeReport> QueryAsync(
        string connectionString,
        long id,
        string[] versions,
        CancellationToken cancellationToken
    )
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Timeout = 5,
            CommandTimeout = 10,
        };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            // A session that was just killed may take a moment to exit; until then its transaction is "in progress".
            string? status = null;
            for (var attempt = 0; attempt < 30; attempt++)
            {
                await using var command = new NpgsqlCommand("SELECT txid_status($1)", connection)
                {
                    Parameters = { new() { Value = id } },
                };
                status = await command.ExecuteScalarAsync(cancellationToken) as string;
                if (status != "in progress") break;
                await Task.Delay(100, cancellationToken);
            }
            var recorded = new List<string>();
            if (versions.Length > 0)
            {
                await using var history = new NpgsqlCommand(
                    "SELECT version FROM supabase_migrations.schema_migrations WHERE " +
                    "to_regclass('supabase_migrations.schema_migrations') IS NOT NULL AND version = ANY($1) ORDER BY " +
                    "version",
                    connection) { Parameters = { new() { Value = versions } } };
                await using var reader = await history.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) recorded.Add(reader.GetString(0));
            }
            return status switch
            {
                "committed" => new TransactionOutcomeReport(TransactionState.Committed, id, recorded, null),
                "aborted" => new TransactionOutcomeReport(TransactionState.Aborted, id, recorded, null),
                "in progress" => new TransactionOutcomeReport(
                    TransactionState.Unknown,
                    id,
                    recorded,
                    $"transaction {id} is still in progress: its session has not ended yet"
                ),
                _ => new TransactionOutcomeReport(
                    TransactionState.Unknown,
                    id,
                    recorded,
                    $"the server no longer knows transaction {id}"
                ),
            };
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            return new TransactionOutcomeReport(TransactionState.Unknown, id, [],
                $"{builder.Host}:{builder.Port}/{builder.Database} does not answer: {DatabaseErrors.Describe(e)}");
        }
    }
}
