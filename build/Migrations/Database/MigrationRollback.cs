using System.Diagnostics;
using Build.Migrations.Sql;
using Npgsql;

namespace Build.Migrations.Database;

/// <summary>
/// Runs the down scripts (<c>supabase/rollbacks/&lt;version&gt;_&lt;name&gt;.sql</c>, where the CLI does not look) of
/// the last N applied migrations, newest first, in one transaction that also deletes their history rows. Every down
/// script must exist before anything runs.
/// </summary>
public sealed class MigrationRollback(MigrationRunnerOptions options, Action<string>? progress = null)
{
    private readonly Action<string> _progress = progress ?? (_ => { });

    public async Task<RollbackResult> RollbackAsync(
        string connectionString,
        string rollbacksDirectory,
        int steps,
        CancellationToken cancellationToken = default
    )
    {
        if (steps < 1)
            throw new ArgumentOutOfRangeException(
                nameof(steps),
                steps,
                "--steps must be a whole number of migrations, 1 or more."
            );
        MigrationRunner.RefuseTransactionPooler(connectionString);
        var watch = Stopwatch.StartNew();
        await using var connection = await MigrationRunner.OpenAsync(connectionString, cancellationToken);
        var database = DatabaseUrl.Describe(connectionString);
        try
        {
            await AdvisoryLock.AcquireAsync(
                connection,
                options.LockName,
                options.AdvisoryLockWait,
                _progress,
                cancellationToken
            );
            try
            {
                await MigrationRunner.SetTimeoutsAsync(connection, options, cancellationToken);

                var history = await SupabaseMigrationJournal.ReadAsync(
                    connection,
                    cancellationToken: cancellationToken
                );
                if (history.Count < steps)
                    throw new InvalidOperationException(
                        $"{database} has {history.Count} applied migration(s); cannot roll back {steps}. Nothing was " +
                        "changed."
                    );
                var plan = history
                    .OrderByDescending(h => h.Version, StringComparer.Ordinal)
                    .Take(steps)
                    .Select(h => new RollbackStep(h, Path.Combine(rollbacksDirectory, h.FileName)))
                    .ToList();

                var missing = plan.Where(s => !File.Exists(s.DownScript)).ToList();
                if (missing.Count > 0)
                    throw new InvalidOperationException(
                        "Refusing to roll back: no down script for " +
                        $"{string.Join(", ", missing.Select(m => m.Migration.FileName))} "
                            + "(expected " +
                            $"{string.Join(", ", missing.Select(m => MigrationHistoryCheck.Relative(m.DownScript)))}" +
                            "). Nothing was changed; "
                            + "write the missing down script(s), or roll back fewer steps."
                    );

                // Every down script is read and checked before anything runs: bad bytes or a statement that would end
                // the rollback's transaction part way refuse the whole rollback.
                var scripts = new List<MigrationFile>();
                var refused = new List<MigrationProblem>();
                foreach (var step in plan)
                {
                    try
                    {
                        scripts.Add(
                            new MigrationFile(
                                step.Migration.Version,
                                step.Migration.Name ?? "",
                                step.DownScript,
                                MigrationFile.ReadContent(step.DownScript)
                            )
                        );
                    }
                    catch (MigrationEncodingException e)
                    {
                        refused.Add(new MigrationProblem("file-encoding", e.Problem, e.File, e.Line));
                    }
                }
                refused.AddRange(scripts.SelectMany(MigrationRunner.RefusedIn));
                if (refused.Count > 0) throw new MigrationCheckException(refused);

                _progress(
                    $"{database}: rolling back {plan.Count} migration(s) in one transaction: " +
                    $"{string.Join(", ", plan.Select(p => p.Migration.FileName))}"
                );
                var emptiesHistory = history.Count == steps;
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                long? transactionId = null;
                await using (var id = new NpgsqlCommand("SELECT txid_current()", connection, transaction))
                    transactionId = (long)(await id.ExecuteScalarAsync(cancellationToken))!;
                foreach (var (step, file) in plan.Zip(scripts))
                {
                    var started = Stopwatch.StartNew();
                    var statements = SqlStatementSplitter.SplitWithPositions(file.Content);
                    await using var batch = new NpgsqlBatch(connection, transaction);
                    var sources = new List<SplitStatement?>();
                    // A plain BEGIN/COMMIT around the script would end the rollback's transaction early: it adds
                    // nothing here.
                    foreach (var s in statements.Where(s => !TransactionControl.IsWrapper(s.Text)))
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand(s.Text));
                        sources.Add(s);
                    }
                    batch.BatchCommands.Add(
                        new NpgsqlBatchCommand(SupabaseMigrationJournal.DeleteSql)
                        {
                            Parameters = { new() { Value = step.Migration.Version } },
                        }
                    );
                    sources.Add(null);
                    if (emptiesHistory && step == plan[^1])
                    {
                        // Every migration is rolled back: the seed's tables went with them, so the next ApplyMigrations
                        // must seed again.
                        batch.BatchCommands.Add(
                            new NpgsqlBatchCommand(
                                "DO $seed$ BEGIN IF to_regclass('supabase_migrations.seed_files') IS NOT NULL THEN " +
                                "DELETE FROM supabase_migrations.seed_files; END IF; END $seed$"
                            )
                        );
                        sources.Add(null);
                    }
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
                        var index = e is PostgresException { BatchCommand: { } failed }
                            ? batch.BatchCommands.IndexOf(failed)
                            : -1;
                        throw new MigrationExecutionError(file, index >= 0 ? sources[index] : null, e).ToException(
                            outcome.State == TransactionState.Aborted
                                ? "The rollback was undone as a whole (checked on the server: transaction " +
                                    $"{outcome.TransactionId} is aborted): the database and its history are as they " +
                                    "were before it."
                                : outcome.Describe([file]));
                    }
                    _progress($"  reverted {step.Migration.FileName} ({started.Elapsed.TotalMilliseconds:0} ms)");
                }
                try { await transaction.CommitAsync(cancellationToken); }
                catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException)
                {
                    var outcome = await TransactionOutcome.EndFailedAsync(
                        connection,
                        transaction,
                        connectionString,
                        transactionId,
                        []
                    );
                    throw new InvalidOperationException(
                        $"{database}: COMMIT of the rollback failed: {DatabaseErrors.Describe(e)}. " +
                        $"{outcome.DescribeCommit()}",
                        e
                    );
                }
                if (emptiesHistory)
                    _progress(
                        $"{database}: every migration is rolled back; the seed (if any) will be applied again by the " +
                        "next ApplyMigrations"
                    );
                return new RollbackResult(database, plan, watch.Elapsed);
            }
            finally
            {
                await AdvisoryLock.ReleaseAsync(connection, options.LockName);
            }
        }
        catch (NpgsqlException e)
        {
            // The server failed outside a down script (the lock, the history): say what PostgreSQL said.
            throw new InvalidOperationException(
                $"{database}: {DatabaseErrors.Describe(e)}. Check the database with MigrationStatus before running " +
                "again.",
                e
            );
        }
    }
}
