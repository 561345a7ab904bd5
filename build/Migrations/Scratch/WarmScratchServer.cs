using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Build.Migrations.Database;
using Npgsql;

namespace Build.Migrations.Scratch;

/// <summary>
/// The scratch PostgreSQL kept running between runs (<c>SCRATCH_WARM=1</c>; build.sh sets it at a terminal), so that a
/// replay skips initdb and start-up and can start from the template of the files it already replayed
/// (<see cref="ReplayTemplate"/>). It is the suite's own: a cluster in <see cref="DirectoryFor"/> (data/, server.log),
/// its PID, port, data directory and binaries recorded in server.json there. Before each use that record is checked
/// against the running process and the server itself (its PID, its command line, the data directory it reports, the
/// settings hash); anything that does not match is stopped (that data directory only) and rebuilt. One run at a time
/// holds it (an exclusive lock on its lock file); a second concurrent run gets null and uses a throwaway server.
/// <c>./build.sh --target=CleanLocal</c> stops it (<see cref="StopAsync"/>).
/// </summary>
public static class WarmScratchServer
{
    public const string WarmVariable = "SCRATCH_WARM";
    private const string StateFile = "server.json";
    // Bumped when what a warm server is changes (options, layout): an older record is then stale and rebuilt.
    private const string Format = "warm-scratch v1";

    /// <summary>.local/scratch-postgres in the checkout, or beside the local cluster in /var/tmp when the postgres user
    /// cannot reach the checkout (as <see cref="LocalDatabase.DirectoryFor"/>).</summary>
    public static string DirectoryFor(string repositoryRoot)
    {
        var local = LocalDatabase.DirectoryFor(repositoryRoot);
        return local == Path.Combine(repositoryRoot, LocalDatabase.RelativeDirectory)
            ? Path.Combine(repositoryRoot, ".local", "scratch-postgres")
            : local + "-scratch";
    }

    /// <summary>What server.json records.</summary>
    public sealed record State(int Pid, int Port, string DataDirectory, string BinDirectory, string Settings);

    /// <summary>
    /// The warm server in <paramref name="directory"/>, started or rebuilt when needed; null when another run holds it.
    /// <paramref name="targetConnectionString"/> (the real database of the run, when there is one) is never used as
    /// the scratch server: a record that points at its port is stale by definition.
    /// </summary>
    public static async Task<ScratchPostgres?> AcquireAsync(
        string directory,
        string? repositoryRoot,
        string? targetConnectionString,
        Action<string> progress,
        CancellationToken cancellationToken = default
    )
    {
        directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(directory);
        var lease = TryLock(directory);
        if (lease is null)
        {
            progress($"The warm scratch server in {directory} is in use by another run: using a throwaway one.");
            return null;
        }
        try
        {
            var state = Read(directory);
            var dataDirectory = Path.Combine(directory, "data");
            var problem = state is null
                ? "not started yet"
                : await ProblemAsync(state, dataDirectory, targetConnectionString, cancellationToken);
            if (problem is null)
            {
                progress($"Warm scratch PostgreSQL on 127.0.0.1:{state!.Port} (PID {state.Pid}, {directory})");
                return ScratchPostgres.Warm(
                    AdminConnectionString(state.Port),
                    $"the warm scratch PostgreSQL on 127.0.0.1:{state.Port}",
                    lease,
                    progress
                );
            }
            progress($"Warm scratch PostgreSQL in {directory}: {problem}; (re)building it");
            await StopCoreAsync(directory, state, progress);
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
            File.Delete(Path.Combine(directory, StateFile));

            var binaries =
                PostgresBinaries.Find(repositoryRoot)
                ?? throw new InvalidOperationException(
                    "No PostgreSQL for the warm scratch server: initdb/pg_ctl are neither on PATH nor in "
                        + "/usr/lib/postgresql/*/bin nor in node_modules (run `npm ci`)."
                );
            var owned = await OwnedServer.StartAsync(
                binaries,
                directory,
                progress,
                cancellationToken,
                throwawayData: true
            );
            var pid =
                PostmasterPid(dataDirectory)
                ?? throw new InvalidOperationException(
                    $"The warm scratch server started but {dataDirectory}/postmaster.pid has no PID."
                );
            state = new State(
                pid,
                owned.Port,
                Path.GetFullPath(dataDirectory),
                owned.Binaries.BinDirectory,
                SettingsHash(owned.Binaries.BinDirectory)
            );
            File.WriteAllText(Path.Combine(directory, StateFile), JsonSerializer.Serialize(state));
            var server = ScratchPostgres.Warm(
                AdminConnectionString(state.Port),
                $"the warm scratch PostgreSQL on 127.0.0.1:{state.Port}",
                lease,
                progress
            );
            progress(
                $"Warm scratch PostgreSQL started on 127.0.0.1:{state.Port} (PID {pid}); it keeps running for the " +
                "next run "
                    + "(about 100 MB of memory); ./build.sh --target=CleanLocal stops it"
            );
            return server;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>Stops the warm server recorded in <paramref name="directory"/>, if it runs; true when one was
    /// stopped.</summary>
    public static async Task<bool> StopAsync(string directory, Action<string> progress)
    {
        if (!Directory.Exists(directory)) return false;
        using var lease = TryLock(directory) ?? throw new InvalidOperationException(
            $"The warm scratch server in {directory} is in use by a running build; stop it after that run ends.");
        return await StopCoreAsync(directory, Read(directory), progress);
    }

    /// <summary>Why <paramref name="state"/> does not describe a healthy server of ours, or null when it
    /// does.</summary>
    internal static async Task<string?> ProblemAsync(
        State state,
        string dataDirectory,
        string? targetConnectionString,
        CancellationToken cancellationToken
    )
    {
        var fullData = Path.GetFullPath(dataDirectory);
        if (state.DataDirectory != fullData)
            return $"server.json names another data directory ({state.DataDirectory})";
        if (state.Settings != SettingsHash(state.BinDirectory))
            return "its settings changed (settings hash)";
        if (PostmasterPid(dataDirectory) != state.Pid)
            return "its postmaster.pid does not match the recorded PID (stopped or restarted)";
        if (!IsPostmasterOf(state.Pid, fullData))
            return $"PID {state.Pid} is not a PostgreSQL server on {fullData}";
        if (targetConnectionString is not null && IsSameServer(targetConnectionString, state.Port))
            return "its port is the target database's";
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(AdminConnectionString(state.Port))
            {
                Pooling = false,
                Timeout = 5,
            }.ConnectionString;
            await using var connection = new NpgsqlConnection(cs);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT current_setting('data_directory')", connection);
            var reported = (string?)await command.ExecuteScalarAsync(cancellationToken);
            if (reported is null || Path.GetFullPath(reported) != fullData)
                return $"the server on port {state.Port} serves {reported}, not {fullData}";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            return $"it does not answer on 127.0.0.1:{state.Port} ({e.Message.Split('\n')[0]})";
        }
        return null;
    }

    private static async Task<bool> StopCoreAsync(string directory, State? state, Action<string> progress)
    {
        var dataDirectory = Path.Combine(directory, "data");
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid"))) return false;
        // pg_ctl of the recorded binaries, else any we find: it stops exactly the cluster in this data directory.
        var binaries =
            state is not null && File.Exists(Path.Combine(state.BinDirectory, "pg_ctl"))
                ? new PostgresBinaries(state.BinDirectory)
                : PostgresBinaries.Find(null);
        if (binaries is null)
            throw new InvalidOperationException(
                $"Cannot stop the warm scratch server in {dataDirectory}: no pg_ctl found."
            );
        var pid = PostmasterPid(dataDirectory);
        await OwnedServer.Attach(binaries, dataDirectory, state?.Port ?? 0, progress).DisposeAsync();
        progress($"Stopped the warm scratch PostgreSQL in {directory}{(pid is { } p ? $" (PID {p})" : "")}.");
        return true;
    }

    internal static string AdminConnectionString(int port) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres",
            Pooling = true, Timeout = 15, CommandTimeout = 0, IncludeErrorDetail = true,
        }.ConnectionString;

    private static string SettingsHash(string binDirectory) =>
        Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes($"{Format}\n{binDirectory}\n{Environment.UserName}"))
        )[..16];

    internal static State? Read(string directory)
    {
        try { return JsonSerializer.Deserialize<State>(File.ReadAllText(Path.Combine(directory, StateFile))); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }
    }

    internal static int? PostmasterPid(string dataDirectory)
    {
        try
        {
            return int.TryParse(
                File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault(),
                out var pid
            )
                ? pid
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsPostmasterOf(int pid, string dataDirectory)
    {
        try
        {
            var words = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return words.Length > 0 && Path.GetFileName(words[0]) == "postgres" && words.Any(w => w == dataDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static bool IsSameServer(string targetConnectionString, int port)
    {
        try
        {
            var target = new NpgsqlConnectionStringBuilder(targetConnectionString);
            var loopback =
                target.Host is "127.0.0.1" or "localhost" or "::1" or null || (target.Host?.StartsWith('/') ?? false);
            return loopback && target.Port == port;
        }
        catch (ArgumentException) { return false; }
    }

    // flock(LOCK_EX | LOCK_NB) under .NET's FileShare.None on Unix: held until disposed, released if the process dies.
    private static IDisposable? TryLock(string directory)
    {
        try
        {
            return new FileStream(
                Path.Combine(directory, "lock"),
                FileMode.OpenOrCreate,
                FileAccess.ReadWrite,
                FileShare.None
            );
        }
        catch (IOException)
        {
            return null;
        }
    }
}
