using System.Diagnostics;
using Build.Migrations.Sql;
using Npgsql;

namespace Build.Migrations.Database;

public sealed record RollbackStep(AppliedMigration Migration, string DownScript);

public sealed record RollbackResult(string Database, IReadOnlyList<RollbackStep> RolledBack, TimeSpan Total);

/// <summary>
/// Runs the down scripts (<c>supabase/rollbacks/&lt;version&gt;_&lt;name&gt;.sql</c>, where the CLI does not look) of the
/// last N applied migrations, newest first, in one transaction that also deletes their history rows. Every down script
/// must exist before anything runs.
/// </summary>
public sealed class MigrationRollback(MigrationRunnerOptions options, Action<string>? progress = null)
{
    private readonly Action<string> _progress = progress ?? (_ => { });

    public async Task<RollbackResult> RollbackAsync(string connectionString, string rollbacksDirectory, int steps, CancellationToken cancellationToken = default)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "--steps must be a whole number of migrations, 1 or more.");
        MigrationRunner.RefuseTransactionPooler(connectionString);
        var watch = Stopwatch.StartNew();
        await using var connection = await MigrationRunner.OpenAsync(connectionString, cancellationToken);
        var database = $"{connection.Host}:{connection.Port}/{connection.Database}";
        await AdvisoryLock.AcquireAsync(connection, options.LockName, options.AdvisoryLockWait, _progress, cancellationToken);
        try
        {
            await MigrationRunner.SetTimeoutsAsync(connection, options, cancellationToken);

            var history = await SupabaseMigrationJournal.ReadAsync(connection, cancellationToken: cancellationToken);
            if (history.Count < steps)
                throw new InvalidOperationException($"{database} has {history.Count} applied migration(s); cannot roll back {steps}. Nothing was changed.");
            var plan = history.OrderByDescending(h => h.Version, StringComparer.Ordinal).Take(steps)
                .Select(h => new RollbackStep(h, Path.Combine(rollbacksDirectory, h.FileName))).ToList();

            var missing = plan.Where(s => !File.Exists(s.DownScript)).ToList();
            if (missing.Count > 0)
                throw new InvalidOperationException(
                    $"Refusing to roll back: no down script for {string.Join(", ", missing.Select(m => m.Migration.FileName))} " +
                    $"(expected {string.Join(", ", missing.Select(m => MigrationHistoryCheck.Relative(m.DownScript)))}). Nothing was changed; " +
                    "write the missing down script(s), or roll back fewer steps.");

            _progress($"{database}: rolling back {plan.Count} migration(s) in one transaction: {string.Join(", ", plan.Select(p => p.Migration.FileName))}");
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var step in plan)
            {
                var started = Stopwatch.StartNew();
                var content = MigrationFile.ReadContent(step.DownScript);
                var file = new MigrationFile(step.Migration.Version, step.Migration.Name ?? "", step.DownScript, content);
                var statements = SqlStatementSplitter.SplitWithPositions(content);
                await using var batch = new NpgsqlBatch(connection, transaction);
                var sources = new List<SplitStatement?>();
                foreach (var s in statements)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(s.Text));
                    sources.Add(s);
                }
                batch.BatchCommands.Add(new NpgsqlBatchCommand(SupabaseMigrationJournal.DeleteSql) { Parameters = { new() { Value = step.Migration.Version } } });
                sources.Add(null);
                try { await batch.ExecuteNonQueryAsync(cancellationToken); }
                catch (PostgresException e)
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    var index = e.BatchCommand is { } failed ? batch.BatchCommands.IndexOf(failed) : -1;
                    throw new MigrationExecutionError(file, index >= 0 ? sources[index] : null, e)
                        .ToException("The rollback was undone as a whole: the database and its history are as they were before it.");
                }
                _progress($"  reverted {step.Migration.FileName} ({started.Elapsed.TotalMilliseconds:0} ms)");
            }
            await transaction.CommitAsync(cancellationToken);
            return new RollbackResult(database, plan, watch.Elapsed);
        }
        finally
        {
            await AdvisoryLock.ReleaseAsync(connection, options.LockName);
        }
    }
}
