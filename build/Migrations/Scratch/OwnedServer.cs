using System.Diagnostics;
using Npgsql;

namespace Build.Migrations.Scratch;

/// <summary>A cluster we initialised and started; stopping it also deletes the folder unless it was asked to
/// persist.</summary>
internal sealed class OwnedServer : IAsyncDisposable
{
    private readonly PostgresBinaries _binaries;
    private readonly bool _deleteOnDispose;
    private readonly Action<string> _progress;
    private readonly string? _runAsUser;

    private OwnedServer(
        PostgresBinaries binaries,
        string dataDirectory,
        int port,
        bool deleteOnDispose,
        Action<string> progress,
        string? runAsUser
    )
    {
        _binaries = binaries;
        DataDirectory = dataDirectory;
        Port = port;
        _deleteOnDispose = deleteOnDispose;
        _progress = progress;
        _runAsUser = runAsUser;
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public PostgresBinaries Binaries => _binaries;
    public string AdminConnectionString =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "postgres",
            Pooling = true, Timeout = 15, CommandTimeout = 0, IncludeErrorDetail = true,
        }.ConnectionString;

    public static async Task<OwnedServer> StartAsync(
        PostgresBinaries binaries,
        string? persistentDirectory,
        Action<string> progress,
        CancellationToken cancellationToken,
        bool throwawayData = false
    )
    {
        var runAsUser = RunAsUser();
        var root =
            persistentDirectory
            ?? Path.Combine(Path.GetTempPath(), $"scratch-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var dataDirectory = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        if (runAsUser is not null)
        {
            await ChownAsync(root, runAsUser, cancellationToken);
            binaries = await ReachableByAsync(binaries, runAsUser, progress, cancellationToken);
        }

        var port = ScratchPostgres.FreeLoopbackPort();
        var server = new OwnedServer(binaries, dataDirectory, port, persistentDirectory is null, progress, runAsUser);
        try
        {
            if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            {
                progress($"initdb {dataDirectory} ({binaries.BinDirectory})");
                await server.RunAsync(
                    binaries.InitDb,
                    [
                        "-D",
                        dataDirectory,
                        "-U",
                        "postgres",
                        "--auth=trust",
                        "--encoding=UTF8",
                        "--locale=C",
                        "--no-sync",
                    ],
                    cancellationToken
                );
            }
            // A persistent folder may be in use by another run right now: never take its server over. (A stale
            // postmaster.pid from a crash is fine: PostgreSQL checks whether that process still lives.)
            if (
                persistentDirectory is not null
                && await server.RunAsync(
                    binaries.PgCtl,
                    ["status", "-D", dataDirectory],
                    cancellationToken,
                    throwOnFailure: false
                ) == 0
            )
                throw new InvalidOperationException(
                    $"A PostgreSQL server is already running on {dataDirectory} (another run?). Wait for it to " +
                    $"finish, or stop it: pg_ctl stop -D {dataDirectory}"
                );
            // Durability switches off only for a throwaway cluster; a persistent one (.local/postgres) must keep its
            // data.
            var speed =
                persistentDirectory is null || throwawayData
                    ? "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                    : "";
            var options =
                $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} {speed}-c " +
                "max_connections=100 -c shared_buffers=64MB";
            progress($"pg_ctl start on 127.0.0.1:{port}");
            await server.RunAsync(
                binaries.PgCtl,
                ["start", "-D", dataDirectory, "-w", "-t", "60", "-l", Path.Combine(root, "server.log"), "-o", options],
                cancellationToken
            );
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A handle on a server started by an earlier run (the warm scratch server), to stop it: disposing it
    /// stops the server on <paramref name="dataDirectory"/> (pg_ctl stop -D, that cluster only) and keeps the
    /// folder.</summary>
    public static OwnedServer Attach(
        PostgresBinaries binaries,
        string dataDirectory,
        int port,
        Action<string> progress
    ) => new(binaries, dataDirectory, port, deleteOnDispose: false, progress, RunAsUser());

    private static string? RunAsUser() => Environment.UserName == "root" || IsRoot() ? "postgres" : null;

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            // Immediate for a throwaway cluster (nothing to keep); fast (clean checkpoint) for a persistent one.
            var mode = _deleteOnDispose ? "immediate" : "fast";
            try
            {
                await RunAsync(
                    _binaries.PgCtl,
                    ["stop", "-D", DataDirectory, "-m", mode, "-w"],
                    CancellationToken.None,
                    throwOnFailure: false
                );
            }
            catch (Exception e)
            {
                _progress($"Stopping scratch PostgreSQL failed: {e.Message}");
            }
        }
        if (_deleteOnDispose)
            try { Directory.Delete(Path.GetDirectoryName(DataDirectory)!, recursive: true); }
            catch (IOException) { /* a file still held open: the temp folder is cleaned by the OS */ }
    }

    private async Task<int> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken,
        bool throwOnFailure = true
    )
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_runAsUser is not null)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", _runAsUser, "--", program }) start.ArgumentList.Add(a);
        }
        else start.FileName = program;
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // pg_ctl's child inherits our stdout otherwise and the read below would wait for the server to exit.
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && throwOnFailure)
        {
            var log = Path.Combine(Path.GetDirectoryName(DataDirectory)!, "server.log");
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(15)) : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments.Take(2))} failed with exit code " +
                $"{process.ExitCode}: "
                    + $"{(await stderr).Trim()} {(await stdout).Trim()}\n{tail}".Trim()
            );
        }
        return process.ExitCode;
    }

    private static bool IsRoot()
    {
        try
        {
            return File.ReadAllText("/proc/self/status")
                    .Split('\n')
                    .FirstOrDefault(l => l.StartsWith("Uid:"))
                    ?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// As root the server runs as <paramref name="user"/>, who cannot enter a checkout under a private home (/root,
    /// mode 700) to run the npm package's binaries. Then the installation (bin, lib, share) is copied once to a
    /// world-readable cache under /var/tmp, keyed by where it came from, and run from there.
    /// </summary>
    private static async Task<PostgresBinaries> ReachableByAsync(
        PostgresBinaries binaries,
        string user,
        Action<string> progress,
        CancellationToken cancellationToken
    )
    {
        if (await ExitCodeAsync("runuser", ["-u", user, "--", "test", "-x", binaries.InitDb], cancellationToken) == 0)
            return binaries;
        var installation = Path.GetDirectoryName(Path.GetFullPath(binaries.BinDirectory))!;
        var key = Convert
            .ToHexString(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(installation))
            )[..12]
            .ToLowerInvariant();
        var cache = Path.Combine("/var/tmp", $"muva-postgres-{key}");
        if (!File.Exists(Path.Combine(cache, "bin", "initdb")))
        {
            progress(
                $"The {user} user cannot run {binaries.BinDirectory} (a checkout under a private home): copying " +
                $"PostgreSQL to {cache}"
            );
            // Copy beside the cache and rename: two runs at once never see a half-copied installation.
            var partial = $"{cache}.partial-{Environment.ProcessId}";
            if (await ExitCodeAsync("cp", ["-a", installation, partial], cancellationToken) != 0
                || await ExitCodeAsync("chmod", ["-R", "a+rX", partial], cancellationToken) != 0)
                throw new InvalidOperationException($"Could not copy {installation} to {partial} for the {user} user.");
            try
            {
                Directory.Move(partial, cache);
            }
            catch (IOException) when (File.Exists(Path.Combine(cache, "bin", "initdb")))
            {
                Directory.Delete(partial, recursive: true);
            }
        }
        return new PostgresBinaries(Path.Combine(cache, "bin"));
    }

    private static async Task<int> ExitCodeAsync(
        string program,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken
    )
    {
        using var process = Process.Start(
            new ProcessStartInfo(program, arguments)
            {
                UseShellExecute = false,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            }
        )!;
        await Task.WhenAll(
            process.StandardOutput.ReadToEndAsync(cancellationToken),
            process.StandardError.ReadToEndAsync(cancellationToken)
        );
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    private static async Task ChownAsync(string path, string user, CancellationToken cancellationToken)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", ["-R", user, path]) { UseShellExecute = false })!;
        await chown.WaitForExitAsync(cancellationToken);
        if (chown.ExitCode != 0)
            throw new InvalidOperationException($"chown -R {user} {path} failed (exit {chown.ExitCode})");
    }
}
