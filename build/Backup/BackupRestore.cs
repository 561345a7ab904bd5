using Build.Migrations.Platform;
using Build.Migrations.Scratch;
using Npgsql;

namespace Build.Backup;

/// <summary>
/// Restores a dump made by <see cref="DatabaseBackup"/>, always against its manifest: the file's size and SHA-256 are
/// checked before pg_restore reads a byte of it, and the row counts and newest migration after. Either into a
/// throwaway database of a scratch server (the drill, <see cref="DrillAsync"/>), or over an environment's database in
/// one transaction (<see cref="RestoreAsync"/>).
/// </summary>
public sealed class BackupRestore(Action<string> progress)
{
    /// <summary>Restores into a fresh database of <paramref name="scratch"/>, compares with the manifest, drops
    /// it.</summary>
    public async Task<RestoreDrillResult> DrillAsync(
        string dumpPath,
        ScratchPostgres scratch,
        CancellationToken cancellationToken = default
    )
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var manifest = await CheckFileAsync(dumpPath, cancellationToken);
        var tools = PostgresClientTools.Find(manifest.PgDumpMajor);
        await EnsureSupabaseRolesAsync(scratch, cancellationToken);
        var database = await scratch.CreateDatabaseAsync("drill", cancellationToken);
        try
        {
            var target = new NpgsqlConnectionStringBuilder(database);
            progress(
                $"Restoring {Path.GetFileName(dumpPath)} into the throwaway database {target.Database} on " +
                $"{scratch.Description} (pg_restore {tools.Major})"
            );
            var run = await DatabaseBackup.RunAsync(
                tools.PgRestore,
                ["--no-owner", "--no-privileges", $"--dbname={target.Database}", dumpPath],
                target,
                cancellationToken
            );
            var errors = ErrorLines(run.Error);
            if (run.ExitCode != 0 && errors.Count == 0)
                throw new BackupException(
                    $"pg_restore could not read {dumpPath} (exit {run.ExitCode}): {DatabaseBackup.LastLines(run.Error)}"
                );
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync(cancellationToken);
            var rows = await CompareAsync(
                manifest,
                connection,
                manifest.Tables.Keys.Select(t => t.Split('.')[0]).ToHashSet(),
                cancellationToken
            );
            return new RestoreDrillResult(manifest, manifest.Tables.Count, rows, errors, watch.Elapsed);
        }
        finally
        {
            try { await scratch.DropDatabaseAsync(database, CancellationToken.None); }
            catch (NpgsqlException e) { progress($"Could not drop the throwaway database: {e.Message}"); }
        }
    }

    /// <summary>
    /// Restores over <paramref name="targetConnectionString"/>: drops and recreates what the dump holds, outside
    /// <paramref name="excludedSchemas"/>, in one transaction that stops at the first error (all or nothing), then
    /// checks the restored schemas' row counts and newest migration against the manifest.
    /// </summary>
    public async Task<long> RestoreAsync(
        string dumpPath,
        string targetConnectionString,
        IReadOnlyCollection<string> excludedSchemas,
        CancellationToken cancellationToken = default
    )
    {
        var manifest = await CheckFileAsync(dumpPath, cancellationToken);
        var target = new NpgsqlConnectionStringBuilder(targetConnectionString);
        await using var connection = new NpgsqlConnection(targetConnectionString);
        await connection.OpenAsync(cancellationToken);
        var (_, serverMajor) = await DatabaseFacts.ServerVersionAsync(connection, null, cancellationToken);
        var tools = PostgresClientTools.Find(Math.Max(manifest.PgDumpMajor, serverMajor));
        progress(
            $"Restoring {Path.GetFileName(dumpPath)} ({manifest.Environment}, " +
            $"{manifest.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC, newest migration "
                + $"{manifest.NewestMigration ?? "none"}) over {target.Host}:{target.Port}/{target.Database} in one " +
                "transaction"
                + (
                    excludedSchemas.Count > 0
                        ? $", leaving {string.Join(", ", excludedSchemas.Order())} as they are"
                        : ""
                )
        );
        var arguments = new List<string>
        {
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            $"--dbname={target.Database}",
        };
        arguments.AddRange(excludedSchemas.Select(s => $"--exclude-schema={s}"));
        arguments.Add(dumpPath);
        var run = await DatabaseBackup.RunAsync(tools.PgRestore, arguments, target, cancellationToken);
        if (run.ExitCode != 0)
            throw new BackupException(
                $"pg_restore failed (exit {run.ExitCode}) and its transaction was rolled back, so {target.Database} " +
                "is as it was: "
                    + DatabaseBackup.LastLines(run.Error)
            );
        var restoredSchemas = manifest
            .Tables.Keys.Select(t => t.Split('.')[0])
            .Where(s => !excludedSchemas.Contains(s))
            .ToHashSet();
        return await CompareAsync(
            manifest with
            {
                Tables = new(manifest.Tables.Where(t => restoredSchemas.Contains(t.Key.Split('.')[0])).ToDictionary()),
            },
            connection,
            restoredSchemas,
            cancellationToken
        );
    }

    /// <summary>The manifest beside the dump, after the dump's size and SHA-256 matched it and pg_restore can list
    /// it.</summary>
    public async Task<BackupManifest> CheckFileAsync(string dumpPath, CancellationToken cancellationToken)
    {
        var manifest = BackupManifest.ReadFor(dumpPath);
        await manifest.CheckFileAsync(dumpPath, cancellationToken);
        progress(
            $"{Path.GetFileName(dumpPath)}: {manifest.Bytes} bytes, SHA-256 matches its manifest (" +
            $"{manifest.Environment}, PostgreSQL {manifest.ServerVersion}, "
                + $"{manifest.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC, commit " +
                $"{manifest.Commit?[..Math.Min(7, manifest.Commit.Length)] ?? "unknown"})"
        );
        return manifest;
    }

    private async Task<long> CompareAsync(
        BackupManifest manifest,
        NpgsqlConnection connection,
        IReadOnlyCollection<string> schemas,
        CancellationToken cancellationToken
    )
    {
        var counts = await DatabaseFacts.CountRowsAsync(connection, null, schemas, cancellationToken);
        var problems = DatabaseFacts.CompareCounts(manifest.Tables, counts);
        var newest = await DatabaseFacts.NewestMigrationAsync(connection, null, cancellationToken);
        if (newest != manifest.NewestMigration)
            problems.Add(
                $"newest migration: {manifest.NewestMigration ?? "(none)"} expected, {newest ?? "(none)"} found"
            );
        if (problems.Count > 0)
            throw new BackupException(
                $"The restored data differs from the manifest in {problems.Count} place(s):\n  "
                    + string.Join("\n  ", problems)
            );
        progress(
            $"Row counts of {manifest.Tables.Count} table(s) ({manifest.Tables.Values.Sum()} row(s)) and the newest " +
            "migration "
                + $"({manifest.NewestMigration ?? "none"}) match the manifest"
        );
        return manifest.Tables.Values.Sum();
    }

    // The roles a Supabase dump's policies name (anon, authenticated, …) exist cluster-wide once the platform layer ran
    // on any database of the server; a database of its own keeps the drill's database exactly what the dump holds.
    private static async Task EnsureSupabaseRolesAsync(ScratchPostgres scratch, CancellationToken cancellationToken)
    {
        var roles = await scratch.CreateDatabaseAsync("roles", cancellationToken);
        try { await SupabasePlatform.InstallAsync(roles, cancellationToken); }
        finally { await scratch.DropDatabaseAsync(roles, CancellationToken.None); }
    }

    private static List<string> ErrorLines(string stderr) =>
        stderr
            .Split('\n')
            .Where(l => l.StartsWith("pg_restore: error:", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .ToList();
}
