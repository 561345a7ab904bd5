using Build.Migrations.Platform;
using Build.Migrations.Scratch;

namespace Build.Migrations.Database;

/// <summary>
/// The database of <c>--env=local</c> when LOCAL_DATABASE_URL is not set: a PostgreSQL cluster kept under
/// <c>.local/postgres</c> (git-ignored), started for the run and stopped after it, with the Supabase platform layer
/// installed, so that ApplyMigrations --env=local works with no cloud account and keeps its state between runs.
/// </summary>
public sealed class LocalDatabase : IAsyncDisposable
{
    public const string DatabaseName = "muva_local";
    public const string RelativeDirectory = ".local/postgres";

    private LocalDatabase(ScratchPostgres server, string connectionString)
    {
        Server = server;
        ConnectionString = connectionString;
    }

    public ScratchPostgres Server { get; }
    public string ConnectionString { get; }

    public static string DirectoryFor(string repositoryRoot) => Path.Combine(repositoryRoot, RelativeDirectory);

    /// <summary>True once a local cluster has been created (MigrationStatus only starts an existing one).</summary>
    public static bool Exists(string repositoryRoot) => File.Exists(Path.Combine(DirectoryFor(repositoryRoot), "data", "PG_VERSION"));

    public static async Task<LocalDatabase> StartAsync(string repositoryRoot, Action<string> progress, CancellationToken cancellationToken = default)
    {
        var server = await ScratchPostgres.StartAsync(null, repositoryRoot, progress, DirectoryFor(repositoryRoot), cancellationToken);
        try
        {
            var connectionString = await server.EnsureDatabaseAsync(DatabaseName, cancellationToken);
            await SupabasePlatform.InstallAsync(connectionString, cancellationToken);
            return new LocalDatabase(server, connectionString);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
