using System.Diagnostics;
using Npgsql;

namespace Build.Backup;

/// <summary>
/// Dumps a database with pg_dump (custom format) before anything changes it. Nothing half-written ever looks like a
/// backup: the dump goes to a <c>.partial</c> file of this run's own, is read back with <c>pg_restore --list</c>, and
/// only then takes its final name (never another run's). Row counts and the newest migration are read in the snapshot
/// pg_dump dumps, and written with the dump's SHA-256 to a manifest beside it. Dumps and manifests are 0600 in a 0700
/// folder. Connection details travel in PG* environment variables, never in the argument list. Backups older than the
/// retention are pruned, never the newest.
/// </summary>
public sealed class DatabaseBackup(Action<string> progress, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    public const string Extension = ".dump";
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode PrivateFolderMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public async Task<BackupResult> CreateAsync(BackupRequest request, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        var connection = new NpgsqlConnectionStringBuilder(request.ConnectionString);

        // One repeatable-read transaction stays open while pg_dump runs in its exported snapshot: the counts in the
        // manifest are exactly what the dump holds, even while the application writes.
        await using var session = await OpenAsync(request.ConnectionString, cancellationToken);
        var (serverVersion, serverMajor) = await DatabaseFacts.ServerVersionAsync(session, null, cancellationToken);
        var tools = request.PgDumpPath is { } pgDumpPath
            ? new PostgresClient(
                pgDumpPath,
                Path.Combine(Path.GetDirectoryName(pgDumpPath)!, "pg_restore"),
                PostgresClientTools.MajorOf(pgDumpPath) ?? 0
            )
            : PostgresClientTools.Find(serverMajor);
        if (tools.Major < serverMajor)
            throw new BackupException(
                $"{tools.PgDump} is version {tools.Major}, the server runs PostgreSQL {serverMajor}: pg_dump cannot " +
                "dump a newer server. "
                    + $"Install postgresql-client-{serverMajor} or set {PostgresClientTools.PgDumpVariable} to its " +
                    "pg_dump."
            );

        await using var snapshot = await session.BeginTransactionAsync(
            System.Data.IsolationLevel.RepeatableRead,
            cancellationToken
        );
        string snapshotId;
        await using (
            var export = new NpgsqlCommand("SET TRANSACTION READ ONLY; SELECT pg_export_snapshot()", session, snapshot)
        )
            snapshotId = (string)(await export.ExecuteScalarAsync(cancellationToken))!;
        var newestMigration = await DatabaseFacts.NewestMigrationAsync(session, snapshot, cancellationToken);
        var counts = await DatabaseFacts.CountRowsAsync(session, snapshot, cancellationToken: cancellationToken);

        var directory = PrivateDirectory(request.Directory);
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss");
        // This run's own scratch name: two backups started in the same second never write into one file.
        var partial = Path.Combine(
            directory,
            $"{request.Environment}-{stamp}.{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}" +
            $"{Extension}.partial"
        );
        progress(
            $"Dumping {connection.Host}:{connection.Port}/{connection.Database} (PostgreSQL {serverVersion}) with " +
            $"pg_dump {tools.Major}: "
                + $"{counts.Count} table(s), {counts.Values.Sum()} row(s), newest migration " +
                $"{newestMigration ?? "(no migration history)"}"
        );
        try
        {
            await using (new FileStream(partial, NewPrivateFile())) { }
            var dump = await RunAsync(
                tools.PgDump,
                ["--format=custom", "--no-owner", "--no-privileges", $"--snapshot={snapshotId}", "--file", partial],
                connection,
                cancellationToken,
                whileRunning: () =>
                    File.Exists(partial) ? $"  {new FileInfo(partial).Length / 1048576.0:0.0} MB written" : null,
                report: progress
            );
            if (dump.ExitCode != 0)
                throw new BackupException($"pg_dump failed (exit {dump.ExitCode}): {LastLines(dump.Error)}");
            await snapshot.CommitAsync(cancellationToken);

            var list = await RunAsync(tools.PgRestore, ["--list", partial], null, cancellationToken);
            if (list.ExitCode != 0)
                throw new BackupException(
                    $"The dump does not read back (pg_restore --list exit {list.ExitCode}): {LastLines(list.Error)}"
                );
            var entries = list.Output.Split('\n').Count(l => l.Length > 0 && !l.StartsWith(';'));
            var (bytes, sha256) = await BackupManifest.HashAsync(partial, cancellationToken);

            var final = ClaimFinalName(partial, directory, request.Environment, stamp);
            var manifest = new BackupManifest
            {
                Environment = request.Environment,
                Dump = Path.GetFileName(final),
                ServerVersion = serverVersion,
                ServerMajor = serverMajor,
                PgDumpMajor = tools.Major,
                CreatedAt = _time.GetUtcNow(),
                Commit = request.Commit,
                NewestMigration = newestMigration,
                Tables = counts,
                Bytes = bytes,
                Sha256 = sha256,
            };
            try { WritePrivate(BackupManifest.PathFor(final), manifest.ToJson()); }
            catch
            {
                File.Delete(final); // a dump without its manifest is not a backup
                throw;
            }

            var pruned = Prune(directory, request.Environment, request.KeepDays, keep: final);
            var elapsed = _time.GetElapsedTime(started);
            progress(
                $"Backup {Path.GetFileName(final)}: {bytes / 1048576.0:0.0} MB, {entries} archive entries, sha256 " +
                $"{sha256[..12]}…, {elapsed.TotalSeconds:0.0} s; "
                    + $"manifest {Path.GetFileName(BackupManifest.PathFor(final))}"
                    + (pruned.Count > 0 ? $"; pruned {pruned.Count} older than {request.KeepDays} day(s)" : "")
            );
            return new BackupResult(final, bytes, entries, elapsed, pruned, manifest);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    /// <summary>The folder, created 0700 or tightened to 0700: dumps hold every row of the database.</summary>
    public static string PrivateDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(full); return full; }
        Directory.CreateDirectory(full, PrivateFolderMode);
        if ((File.GetUnixFileMode(full) & ~PrivateFolderMode) != 0)
        {
            try { File.SetUnixFileMode(full, PrivateFolderMode); }
            catch (UnauthorizedAccessException)
            {
                throw new BackupException(
                    $"{full} is readable by others ({File.GetUnixFileMode(full)}) and cannot be made 0700 by this " +
                    "user: "
                        + $"backups hold every row of the database. Run `chmod 700 {full}` as its owner, or " +
                        "configure another backup.directory."
                );
            }
        }
        return full;
    }

    /// <summary>Options for a new file only its owner reads (0600 from its first byte; Windows has no Unix
    /// modes).</summary>
    private static FileStreamOptions NewPrivateFile() =>
        OperatingSystem.IsWindows()
            ? new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write }
            : new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = PrivateFileMode,
            };

    private static void WritePrivate(string path, string text)
    {
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, NewPrivateFile()))
        using (var writer = new StreamWriter(stream)) writer.Write(text);
        File.Move(temporary, path, overwrite: false);
    }

    /// <summary>Moves the finished dump to &lt;env&gt;-&lt;stamp&gt;.dump, or -2, -3… when another run took that name
    /// in the same second.</summary>
    private static string ClaimFinalName(string partial, string directory, string environment, string stamp)
    {
        for (var attempt = 1; ; attempt++)
        {
            var candidate = Path.Combine(
                directory,
                $"{environment}-{stamp}{(attempt == 1 ? "" : $"-{attempt}")}{Extension}"
            );
            if (File.Exists(candidate) || File.Exists(BackupManifest.PathFor(candidate)))
                continue;
            // Claim the name with an exclusive create (O_EXCL): File.Move without overwrite may check and then rename,
            // so two runs of one second could both "win" the same name and one manifest would then collide.
            try
            {
                using (new FileStream(candidate, NewPrivateFile())) { }
            }
            catch (IOException) when (File.Exists(candidate) && attempt < 100)
            {
                continue; /* taken by another run just now */
            }
            File.Move(partial, candidate, overwrite: true);
            return candidate;
        }
    }

    /// <summary>Deletes this environment's backups (and their manifests) older than <paramref name="keepDays"/>, never
    /// <paramref name="keep"/>.</summary>
    public IReadOnlyList<string> Prune(string directory, string environment, int keepDays, string keep)
    {
        var cutoff = _time.GetUtcNow().UtcDateTime.AddDays(-keepDays);
        var pruned = new List<string>();
        foreach (var file in new DirectoryInfo(directory).GetFiles($"{environment}-*{Extension}"))
        {
            if (!file.Name.EndsWith(Extension, StringComparison.Ordinal)) continue;
            if (file.FullName == Path.GetFullPath(keep) || file.LastWriteTimeUtc >= cutoff) continue;
            file.Delete();
            File.Delete(BackupManifest.PathFor(file.FullName));
            pruned.Add(file.Name);
        }
        return pruned;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (NpgsqlException ex)
        {
            await connection.DisposeAsync();
            throw new BackupException($"Could not connect to the database to back it up: {ex.Message}");
        }
    }

    internal sealed record ToolResult(int ExitCode, string Output, string Error);

    /// <summary>Runs a PostgreSQL client tool with the connection in PG* variables (never in its arguments).</summary>
    internal static async Task<ToolResult> RunAsync(
        string tool,
        IEnumerable<string> arguments,
        NpgsqlConnectionStringBuilder? connection,
        CancellationToken cancellationToken,
        Func<string?>? whileRunning = null,
        Action<string>? report = null
    )
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        if (connection is not null)
        {
            info.Environment["PGHOST"] = connection.Host;
            info.Environment["PGPORT"] = connection.Port.ToString();
            info.Environment["PGUSER"] = connection.Username;
            info.Environment["PGDATABASE"] = connection.Database;
            info.Environment["PGPASSWORD"] = connection.Password ?? "";
            info.Environment["PGSSLMODE"] = connection.SslMode switch
            {
                SslMode.Disable => "disable", SslMode.Allow => "allow", SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca", SslMode.VerifyFull => "verify-full", _ => "prefer",
            };
            info.Environment["PGAPPNAME"] = "muva-release-suite backup";
        }
        using var process = Process.Start(info) ?? throw new BackupException($"Could not start {tool}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var wait = process.WaitForExitAsync(cancellationToken);
        while (
            whileRunning is not null
            && await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)) != wait
        )
            if (whileRunning() is { } line)
                report?.Invoke(line);
        await wait;
        return new ToolResult(process.ExitCode, await output, await error);
    }

    internal static string LastLines(string text) =>
        string.Join(" / ", text.Trim().Split('\n').TakeLast(3).Select(l => l.Trim()));
}
