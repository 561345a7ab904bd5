using Build.Migrations;
using Build.Migrations.Database;
using Build.Migrations.Platform;
using Build.Migrations.Scratch;
using Npgsql;

namespace Build.Schema;

/// <summary>
/// The schema the migrations produce: applied from scratch on a throwaway database of a scratch server (after the
/// Supabase platform layer), read into a model, and dropped. Only the versions given are applied, so that a database
/// with pending migrations is compared with what it has applied, not with what it has not received yet.
/// </summary>
public sealed class SchemaReplay(Action<string> progress)
{
    public async Task<(SchemaModel Model, int ServerMajor)> BuildAsync(
        ScratchPostgres server,
        MigrationDirectoryContents contents,
        IReadOnlySet<string>? versions,
        SchemaScope scope,
        CancellationToken cancellationToken = default
    )
    {
        var files = contents.Files.Where(f => versions is null || versions.Contains(f.Version)).ToList();
        var database = await server.CreateDatabaseAsync("drift", cancellationToken);
        try
        {
            await SupabasePlatform.InstallAsync(database, cancellationToken);
            var runner = new MigrationRunner(
                new MigrationRunnerOptions
                {
                    AllowOutOfOrder = true,
                    StatementTimeout = "0",
                    LockTimeout = "0",
                    AppliedBy = "DetectSchemaDrift replay",
                }
            );
            await runner.ApplyAsync(database, contents with { Files = files, Problems = [] }, cancellationToken);
            progress($"Replayed {files.Count} migration(s) on a throwaway database ({server.Description})");
            var model = await SchemaCatalog.ReadAsync(database, scope, cancellationToken);
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync(cancellationToken);
            return (model, connection.PostgreSqlVersion.Major);
        }
        finally
        {
            try { await server.DropDatabaseAsync(database, CancellationToken.None); }
            catch (NpgsqlException) { /* the server is thrown away anyway */ }
        }
    }

    /// <summary>The versions in a database's Supabase history (empty when it has none).</summary>
    public static async Task<IReadOnlySet<string>> AppliedVersionsAsync(
        string connectionString,
        CancellationToken cancellationToken = default
    )
    {
        await using var connection = await MigrationRunner.OpenAsync(connectionString, cancellationToken);
        var history = await SupabaseMigrationJournal.ReadAsync(connection, cancellationToken: cancellationToken);
        return history.Select(h => h.Version).ToHashSet(StringComparer.Ordinal);
    }
}
