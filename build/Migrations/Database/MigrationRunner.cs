using System.Diagnostics;
using System.Globalization;
using System.Text;
using Build.Migrations.Sql;
using Npgsql;

namespace Build.Migrations.Database;

/// <summary>
/// Applies pending migrations: under an advisory lock, after re-checking the history, all pending files in one
/// transaction (split only around files that cannot run in one), each file sent as one pipelined batch together with
/// its history row, then the seed when asked. Services only: progress goes to the callback.
/// </summary>
public sealed class MigrationRunner(MigrationRunnerOptions options, Action<string>? progress = null)
{
    private readonly Action<string> _progress = progress ?? (_ => { });
    private readonly SupabaseMigrationJournal _journal = new(appliedBy: options.AppliedBy);

    /// <summary>Supabase's transaction pooler breaks session state (advisory locks, SET, prepared
    /// statements).</summary>
    public static void RefuseTransactionPooler(string connectionString)
    {
        var port = new NpgsqlConnectionStringBuilder(connectionString).Port;
        if (port == DatabaseUrl.TransactionPoolerPort)
            throw new InvalidOperationException(
                $"The database URL points at port {DatabaseUrl.TransactionPoolerPort}, Supabase's transaction " +
                "pooler. Migrations need one session for the whole run "
                    + "(an advisory lock, SET lock_timeout, a transaction across many statements), and the " +
                    "transaction pooler hands every transaction to a different "
                    + "server connection. Use the direct connection (db.<ref>.supabase.co:5432) or the session " +
                    "pooler (port 5432 on the pooler host) instead."
            );
    }

    public async Task<MigrationRunResult> ApplyAsync(
        string connectionString,
        MigrationDirectoryContents migrations,
        CancellationToken cancellationToken = default
    )
    {
        RefuseTransactionPooler(connectionString);
        if (migrations.HasErrors)
            throw new MigrationCheckException(
                migrations
                    .Problems.Where(p => p.IsError)
                    .Select(p => new MigrationProblem(
                        p.Line is null ? "file-name" : "file-encoding",
                        p.Message,
                        Path.Combine(migrations.Directory, p.File),
                        p.Line
                    ))
                    .ToList()
            );
        // The seed runs last, but a seed that cannot run is refused before anything else runs.
        var seedFile = options.Seed is { } seed ? ReadSeed(seed) : null;

        var total = Stopwatch.StartNew();
        // Splitting the files and finding the non-transactional ones is CPU work that needs no database: it runs on
        // another core while the session is opened, locked and the history read.
        var preparation = Task.Run(() => Prepare(migrations.Files), cancellationToken);
        await using var connection = await OpenAsync(connectionString, cancellationToken);
        var database = DatabaseUrl.Describe(connectionString);
        try
        {
            var lockWait = await AdvisoryLock.AcquireAsync(
                connection,
                options.LockName,
                options.AdvisoryLockWait,
                _progress,
                cancellationToken
            );
            try
            {
                await SetTimeoutsAsync(connection, options, cancellationToken);
                // Read under the lock: whatever a concurrent run applied is now history, not pending.
                var history = await SupabaseMigrationJournal.EnsureTableAndReadAsync(connection, cancellationToken);
                var problems = MigrationHistoryCheck.Check(
                    migrations.Files,
                    history,
                    options.AllowOutOfOrder,
                    options.RepairDatabaseUrl,
                    options.UtcNow()
                );
                if (problems.Count > 0)
                    throw new MigrationCheckException(problems);

                var prepared = await preparation;
                var pending = Pending(migrations.Files, history);
                // Usually every file is pending (a fresh database, every replay) or none is; then the detection over
                // all files is the plan's. Otherwise it runs again over the pending files alone (the enum rule depends
                // on them).
                var plan = MigrationPlan.For(
                    pending,
                    pending.Count == migrations.Files.Count ? prepared.DetectedForAll : null
                );
                var refused = plan
                    .Batches.Where(b => b.Transactional)
                    .SelectMany(b => b.Files)
                    .SelectMany(f => prepared.Refused[f.FileName])
                    .Concat(seedFile is null ? [] : RefusedIn(seedFile))
                    .ToList();
                if (refused.Count > 0)
                    throw new MigrationCheckException(refused);

                _progress($"{database}: {plan.Describe()}");
                var applied = new List<AppliedFile>();
                foreach (var batch in plan.Batches)
                    applied.AddRange(
                        batch.Transactional
                            ? await RunTransactionalAsync(
                                connection,
                                connectionString,
                                batch,
                                prepared.Statements,
                                cancellationToken
                            )
                            : [await RunAloneAsync(connection, batch, cancellationToken)]
                    );

                SeedResult? seedResult = null;
                // A database whose history was empty was built from nothing in this run: whatever the seed table says,
                // the seed's data is not there (its tables were dropped with the schema, e.g. by rolling everything
                // back).
                if (seedFile is not null)
                    seedResult = await SeedAsync(
                        connection,
                        connectionString,
                        options.Seed!,
                        seedFile,
                        rebuilt: history.Count == 0 && applied.Count > 0,
                        cancellationToken
                    );
                total.Stop();
                if (applied.Count > 0)
                    _progress(
                        $"{database}: applied {applied.Count} migration(s) in {total.Elapsed.TotalSeconds:0.00} s"
                    );
                return new MigrationRunResult(
                    database,
                    plan,
                    applied,
                    migrations.Files.Count - applied.Count,
                    lockWait,
                    total.Elapsed,
                    seedResult
                );
            }
            finally
            {
                await AdvisoryLock.ReleaseAsync(connection, options.LockName);
            }
        }
        catch (NpgsqlException e)
        {
            // The server failed outside a file (the lock, the history, the seed table): say what PostgreSQL said.
            throw new InvalidOperationException(
                $"{database}: {DatabaseErrors.Describe(e)}. Check the database with MigrationStatus before running " +
                "again.",
                e
            );
        }
    }

    private static MigrationFile ReadSeed(SeedFile seed)
    {
        try
        {
            return new MigrationFile(
                "seed",
                Path.GetFileNameWithoutExtension(seed.FullPath),
                seed.FullPath,
                MigrationFile.ReadContent(seed.FullPath)
            );
        }
        catch (MigrationEncodingException e)
        {
            throw new MigrationCheckException([new MigrationProblem("file-encoding", e.Problem, e.File, e.Line)]);
        }
    }

    /// <summary>Transaction control in a file that runs inside our transaction, as check problems
    /// (file:line:column).</summary>
    internal static IEnumerable<MigrationProblem> RefusedIn(MigrationFile file) =>
        TransactionControl
            .FindRefused(file.Content)
            .Select(c => new MigrationProblem("transaction-control", c.Message, file.Path, c.Line, c.Column));

    internal static IReadOnlyList<MigrationFile> Pending(
        IReadOnlyList<MigrationFile> files,
        IReadOnlyList<AppliedMigration> history
    )
    {
        var applied = history.Select(h => h.Version).ToHashSet(StringComparer.Ordinal);
        return files.Where(f => !applied.Contains(f.Version)).ToList();
    }

    internal static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Our own physical session: session settings and the advisory lock must not leak into a pool.
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false, CommandTimeout = 0,
            // Tells which statement of a pipelined file failed, for file:line:column messages.
            IncludeFailedBatchedCommand = true,
        };
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "muva-release-suite migrations";
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try { await connection.OpenAsync(cancellationToken); }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException(
                $"Cannot connect to the database at {builder.Host}:{builder.Port}/{builder.Database}: {e.Message}",
                e
            );
        }
        return connection;
    }

    internal static async Task SetTimeoutsAsync(
        NpgsqlConnection connection,
        MigrationRunnerOptions options,
        CancellationToken cancellationToken
    )
    {
        await using var set = new NpgsqlCommand(
            "SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)",
            connection
        )
        {
            Parameters = { new() { Value = options.LockTimeout }, new() { Value = options.StatementTimeout } },
        };
        try { await set.ExecuteNonQueryAsync(cancellationToken); }
        catch (PostgresException e)
        {
            throw new InvalidOperationException(
                $"migrations.lockTimeout '{options.LockTimeout}' or migrations.statementTimeout '" +
                $"{options.StatementTimeout}' in environments.json is not a valid "
                    + $"PostgreSQL duration (e.g. \"5s\", \"500ms\", \"2min\", \"0\" for none): {e.MessageText}",
                e
            );
        }
    }

    // Files per round trip: the whole chunk is pipelined, results stream back file by file.
    private const int ChunkStatements = 2000;
    private const int ChunkCharacters = 1 << 20;

    /// <param name="Refused">Per file, its transaction control that must not run inside the batch (only used for files
    /// that run in one).</param>
    private sealed record PreparedFiles(
        IReadOnlyDictionary<string, IReadOnlyList<SplitStatement>> Statements,
        IReadOnlyList<NonTransactionalFile> DetectedForAll,
        IReadOnlyDictionary<string, IReadOnlyList<MigrationProblem>> Refused
    );

    private static PreparedFiles Prepare(IReadOnlyList<MigrationFile> files) =>
        new(
            files.ToDictionary(
                f => f.FileName,
                f => SqlStatementSplitter.SplitWithPositions(f.Content),
                StringComparer.Ordinal
            ),
            NonTransactionalDetector.DetectInBatch(MigrationPlan.Ordered(files)),
            files.ToDictionary(
                f => f.FileName,
                f => (IReadOnlyList<MigrationProblem>)RefusedIn(f).ToList(),
                StringComparer.Ordinal
            )
        );

    private async Task<IReadOnlyList<AppliedFile>> RunTransactionalAsync(
        NpgsqlConnection connection,
        string connectionString,
        MigrationBatch batch,
        IReadOnlyDictionary<string, IReadOnlyList<SplitStatement>> statements,
        CancellationToken cancellationToken
    )
    {
        var applied = new List<AppliedFile>();
        var run = new TransactionRun();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            foreach (var chunk in Chunks(batch.Files, statements))
                await ExecuteChunkAsync(connection, transaction, chunk, batch.Number, applied, run, cancellationToken);
        }
        catch (MigrationExecutionError error)
        {
            var outcome = await TransactionOutcome.EndFailedAsync(
                connection,
                transaction,
                connectionString,
                run.TransactionId,
                batch.Files
            );
            throw error.ToException(outcome.Describe(batch.Files));
        }
        try { await transaction.CommitAsync(cancellationToken); }
        catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException)
        {
            // The server may have committed before the session broke: only the server can say.
            var outcome = await TransactionOutcome.EndFailedAsync(
                connection,
                transaction,
                connectionString,
                run.TransactionId,
                batch.Files
            );
            throw new InvalidOperationException(
                $"{DatabaseUrl.Describe(connectionString)}: COMMIT of {batch.Files.Count} migration(s) (" +
                $"{batch.Files[0].FileName} .. {batch.Files[^1].FileName}) failed: "
                    + $"{DatabaseErrors.Describe(e)}. {outcome.DescribeCommit()}",
                e
            );
        }
        return applied;
    }

    /// <summary>What a transactional batch learnt from the server while it ran: its transaction id (to check the
    /// outcome).</summary>
    private sealed class TransactionRun
    {
        public long? TransactionId { get; set; }
    }

    private static IEnumerable<List<(MigrationFile File, IReadOnlyList<SplitStatement> Statements)>> Chunks(
        IReadOnlyList<MigrationFile> files, IReadOnlyDictionary<string, IReadOnlyList<SplitStatement>> prepared)
    {
        var chunk = new List<(MigrationFile, IReadOnlyList<SplitStatement>)>();
        int statements = 0, characters = 0;
        foreach (var file in files)
        {
            var split = prepared[file.FileName];
            if (
                chunk.Count > 0
                && (statements + split.Count > ChunkStatements || characters + file.Content.Length > ChunkCharacters)
            )
            {
                yield return chunk;
                chunk = [];
                statements = characters = 0;
            }
            chunk.Add((file, split));
            statements += split.Count + 1;
            characters += file.Content.Length;
        }
        if (chunk.Count > 0) yield return chunk;
    }

    private const string ChunkStartMarker = "muva_chunk_started";

    /// <summary>
    /// Several files and their history rows in one pipelined batch (one round trip). Each history insert returns its
    /// version and the server's clock when it ran. PostgreSQL holds a pipeline's results until its end (or a full
    /// buffer), so the times the client sees them say nothing: each file's duration is the server's clock at its
    /// history row minus the clock at the previous one.
    /// </summary>
    private async Task ExecuteChunkAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        List<(MigrationFile File, IReadOnlyList<SplitStatement> Statements)> chunk,
        int batchNumber,
        List<AppliedFile> applied,
        TransactionRun run,
        CancellationToken cancellationToken
    )
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var sources = new List<(MigrationFile File, SplitStatement? Statement)>();
        batch.BatchCommands.Add(
            new NpgsqlBatchCommand($"SELECT clock_timestamp() AS {ChunkStartMarker}, txid_current()")
        );
        sources.Add((chunk[0].File, null));
        foreach (var (file, statements) in chunk)
        {
            foreach (var statement in statements)
            {
                // A file's own BEGIN/COMMIT around it would end our transaction early; inside it they add nothing, so
                // they are skipped (and still recorded, as the CLI records them). What would really end it was refused
                // before.
                if (TransactionControl.IsWrapper(statement.Text))
                    continue;
                batch.BatchCommands.Add(
                    new NpgsqlBatchCommand(options.Rewrite?.Invoke(file, statement) ?? statement.Text)
                );
                sources.Add((file, statement));
            }
            batch.BatchCommands.Add(
                _journal.InsertCommand(file, statements.Select(s => s.Text).ToList(), returning: true)
            );
            sources.Add((file, null));
        }

        DateTime? previous = null;
        var next = 0;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            do
            {
                if (
                    reader.FieldCount == 2
                    && reader.GetName(0) == ChunkStartMarker
                    && await reader.ReadAsync(cancellationToken)
                )
                {
                    previous = reader.GetDateTime(0);
                    run.TransactionId ??= reader.GetInt64(1);
                    continue;
                }
                // A file's own SELECTs return rows too; the history insert's result is the one with our marker column.
                if (
                    reader.FieldCount != 2
                    || reader.GetName(0) != SupabaseMigrationJournal.ReturningMarker
                    || !await reader.ReadAsync(cancellationToken)
                )
                    continue;
                var file = chunk[next++].File;
                var finished = reader.GetDateTime(1);
                var duration = previous is { } p && finished >= p ? finished - p : TimeSpan.Zero;
                previous = finished;
                applied.Add(new AppliedFile(file, duration, batchNumber, true));
                _progress($"  {file.FileName} ({duration.TotalMilliseconds:0} ms)");
            } while (await reader.NextResultAsync(cancellationToken));
        }
        catch (PostgresException e)
        {
            var index = e.BatchCommand is { } failed ? batch.BatchCommands.IndexOf(failed) : -1;
            var (file, statement) = index >= 0 ? sources[index] : (chunk[Math.Min(next, chunk.Count - 1)].File, null);
            throw new MigrationExecutionError(file, statement, e);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException)
        {
            // The session broke under the batch (server stopped or killed, network cut): the file it was on is the one
            // whose history row has not come back yet.
            throw new MigrationExecutionError(chunk[Math.Min(next, chunk.Count - 1)].File, null, e);
        }
    }

    private async Task<AppliedFile> RunAloneAsync(
        NpgsqlConnection connection,
        MigrationBatch batch,
        CancellationToken cancellationToken
    )
    {
        var file = batch.Files[0];
        _progress($"  {file.FileName}: outside a transaction ({batch.Reason})");
        var watch = Stopwatch.StartNew();
        var statements = SqlStatementSplitter.SplitWithPositions(file.Content);
        // Statement by statement in autocommit mode: PostgreSQL runs a pipelined batch as one implicit transaction.
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(
                options.Rewrite?.Invoke(file, statement) ?? statement.Text,
                connection
            );
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (NpgsqlException e)
            {
                throw new MigrationExecutionError(file, statement, e).ToException(
                    $"{file.FileName} ran outside a transaction: its statements before line {statement.Line} stayed " +
                    "applied and the file is not recorded "
                        + "as applied. Make it safe to re-run (IF NOT EXISTS), fix it, and apply again."
                );
            }
        }
        await using (var batchInsert = new NpgsqlBatch(connection))
        {
            batchInsert.BatchCommands.Add(_journal.InsertCommand(file, statements.Select(s => s.Text).ToList()));
            await batchInsert.ExecuteNonQueryAsync(cancellationToken);
        }
        _progress($"  {file.FileName} ({watch.Elapsed.TotalMilliseconds:0} ms)");
        return new AppliedFile(file, watch.Elapsed, batch.Number, false);
    }

    private async Task<SeedResult> SeedAsync(
        NpgsqlConnection connection,
        string connectionString,
        SeedFile seed,
        MigrationFile file,
        bool rebuilt,
        CancellationToken cancellationToken
    )
    {
        var content = file.Content;
        var hash = SeedHash(content);
        var watch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var ensure = new NpgsqlCommand(SeedFilesDdl, connection, transaction))
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        long transactionId;
        await using (var id = new NpgsqlCommand("SELECT txid_current()", connection, transaction))
            transactionId = (long)(await id.ExecuteScalarAsync(cancellationToken))!;
        await using (
            var current = new NpgsqlCommand(
                "SELECT hash FROM supabase_migrations.seed_files WHERE path = $1",
                connection,
                transaction
            )
            {
                Parameters = { new() { Value = seed.RecordedPath } },
            }
        )
            if (await current.ExecuteScalarAsync(cancellationToken) is string stored && stored == hash)
            {
                if (!rebuilt)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    _progress($"  seed {seed.RecordedPath}: unchanged since it was applied, skipped");
                    return new SeedResult(seed.RecordedPath, false, hash, watch.Elapsed);
                }
                _progress(
                    $"  seed {seed.RecordedPath}: unchanged, but every migration was applied from an empty history " +
                    "in this run, so its data is gone: applying it again"
                );
            }

        var statements = SqlStatementSplitter.SplitWithPositions(content);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var sources = new List<SplitStatement?>();
        foreach (var s in statements.Where(s => !TransactionControl.IsWrapper(s.Text)))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(s.Text));
            sources.Add(s);
        }
        batch.BatchCommands.Add(
            new NpgsqlBatchCommand(
                "INSERT INTO supabase_migrations.seed_files (path, hash) VALUES ($1, $2) ON CONFLICT (path) DO " +
                "UPDATE SET hash = EXCLUDED.hash"
            )
            {
                Parameters =
                {
                    new() { Value = seed.RecordedPath },
                    new() { Value = hash },
                },
            }
        );
        sources.Add(null);
        try { await batch.ExecuteNonQueryAsync(cancellationToken); }
        catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException)
        {
            var outcome = await TransactionOutcome.EndFailedAsync(
                connection,
                transaction,
                connectionString,
                transactionId,
                []
            );
            var index = e is PostgresException { BatchCommand: { } failed } ? batch.BatchCommands.IndexOf(failed) : -1;
            throw new MigrationExecutionError(file, index >= 0 ? sources[index] : null, e).ToException(
                outcome.State == TransactionState.Aborted
                    ? $"Rolled back (checked on the server: transaction {transactionId} is aborted): the seed " +
                        "changed nothing (the migrations before it stay applied)."
                    : outcome.Describe([file])
            );
        }
        await transaction.CommitAsync(cancellationToken);
        _progress($"  seed {seed.RecordedPath} ({watch.Elapsed.TotalMilliseconds:0} ms)");
        return new SeedResult(seed.RecordedPath, true, hash, watch.Elapsed);
    }

    /// <summary>The CLI's seed table (path + content hash), so that `supabase db push --include-seed` and we
    /// agree.</summary>
    public const string SeedFilesDdl =
        "CREATE SCHEMA IF NOT EXISTS supabase_migrations; "
        + "CREATE TABLE IF NOT EXISTS supabase_migrations.seed_files (path text NOT NULL PRIMARY KEY, hash text NOT " +
        "NULL)";

    public static string SeedHash(string content) => SupabaseMigrationJournal.Checksum(content);
}

/// <summary>
/// A failure inside a file, with the statement it came from (when known), turned into a file:line:column message. The
/// cause is the server's error, or whatever broke the session (then its innermost PostgreSQL error, if any).
/// </summary>
internal sealed class MigrationExecutionError(MigrationFile file, SplitStatement? statement, Exception error)
    : Exception(error.Message, error)
{
    public MigrationFailedException ToException(string outcome)
    {
        int line = 1, column = 1;
        var server = DatabaseErrors.Innermost(InnerException!);
        if (statement is not null)
        {
            // Without a server position, point at the statement's first keyword (past any leading comment).
            var first = SqlLexer.Tokenize(statement.Text).FirstOrDefault(t => !t.IsTrivia);
            var at = server is { Position: > 0 } ? statement.PositionOf(server.Position, file.Content)
                : SqlPosition.At(file.Content, statement.Offset + (first?.Offset ?? 0));
            (line, column) = (at.Line, at.Column);
        }
        var text =
            statement?.Text
            ?? (
                server is null
                    ? "(the session broke while this file ran)"
                    : "(recording the file in supabase_migrations.schema_migrations)"
            );
        return new MigrationFailedException(file.Path, line, column, text, InnerException!, outcome);
    }
}
