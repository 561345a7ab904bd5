using Build.Migrations.Platform;
using Build.Migrations.Scratch;

namespace Build.Migrations.Database;

/// <summary>
/// The database of <c>--env=local</c> when LOCAL_DATABASE_URL is not set: a PostgreSQL cluster kept under
/// <c>.local/postgres</c> (git-ignored; see <see cref="DirectoryFor"/>), started for the run and stopped after it, with
/// the Supabase platform layer installed, so that ApplyMigrations --env=local works with no cloud account and keeps its
/// state between runs.
/// </summary>
public sealed class LocalDatabase : IAsyncDisposable
{
    public const string DatabaseName = "muva_local";
    public const string RelativeDirectory = ".local/postgres";

    private LocalDatabase(ScratchPostgres server, string connectionString, string directory)
    {
        Server = server;
        ConnectionString = connectionString;
        Directory = directory;
    }

    /// <summary>Where the cluster lives (for messages).</summary>
    public string Directory { get; }

    public ScratchPostgres Server { get; }
    public string ConnectionString { get; }

    /// <summary>
    /// <c>.local/postgres</c> in the repository; but when we run as root and the checkout sits where the postgres
    /// user cannot reach (for example under /root), a folder of its own in /var/tmp, keyed by the checkout's path.
    /// </summary>
    public static string DirectoryFor(string repositoryRoot)
    {
        var inRepository = Path.Combine(repositoryRoot, RelativeDirectory);
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || OthersCanTraverse(repositoryRoot))
            return inRepository;
        var key = Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(repositoryRoot))
            )
        )[..12];
        return Path.Combine("/var/tmp", $"muva-local-postgres-{key}");
    }

    /// <summary>initdb/postgres run as the postgres user: every folder above the cluster must be searchable by
    /// others.</summary>
    private static bool OthersCanTraverse(string path)
    {
        if (OperatingSystem.IsWindows()) return true; // no Unix modes (and no postgres user) there
        for (var dir = new DirectoryInfo(Path.GetFullPath(path)); dir is not null; dir = dir.Parent)
            if (dir.Exists && (File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0) return false;
        return true;
    }

    /// <summary>True once a local cluster has been created (MigrationStatus only starts an existing one).</summary>
    public static bool Exists(string repositoryRoot) =>
        File.Exists(Path.Combine(DirectoryFor(repositoryRoot), "data", "PG_VERSION"));

    public static async Task<LocalDatabase> StartAsync(
        string repositoryRoot,
        Action<string> progress,
        CancellationToken cancellationToken = default
    )
    {
        var directory = DirectoryFor(repositoryRoot);
        var server = await ScratchPostgres.StartAsync(null, repositoryRoot, progress, directory, cancellationToken);
        try
        {
            var connectionString = await server.EnsureDatabaseAsync(DatabaseName, cancellationToken);
            await SupabasePlatform.InstallAsync(connectionString, cancellationToken);
            return new LocalDatabase(server, connectionString, directory);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
