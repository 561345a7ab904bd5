using System.Reflection;
using Npgsql;

namespace Build.Migrations.Platform;

/// <summary>
/// Installs <c>supabase-platform.sql</c> (embedded in Build.dll): the roles, schemas, auth.users, auth.uid() and the
/// storage tables that Supabase migrations take for granted, so they replay on plain PostgreSQL. Idempotent.
/// </summary>
public static class SupabasePlatform
{
    private const string ResourceName = "Build.Migrations.Platform.supabase-platform.sql";

    public static string Sql { get; } = ReadResource();

    /// <summary>Runs the platform layer on <paramref name="connection"/> (also sets its session search_path).</summary>
    public static async Task InstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(Sql, connection);
        try { await command.ExecuteNonQueryAsync(cancellationToken); }
        catch (NpgsqlException e)
        {
            // A broken connection forgets its host and port (":0/"): name the database from its connection string.
            throw new InvalidOperationException(
                "Installing the Supabase platform layer on " +
                $"{Database.DatabaseUrl.Describe(connection.ConnectionString)} failed: " +
                $"{Database.DatabaseErrors.Describe(e)}",
                e
            );
        }
    }

    public static async Task InstallAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await InstallAsync(connection, cancellationToken);
        // Pooled sessions keep the search_path they logged in with; new ones must see the database's new default.
        NpgsqlConnection.ClearPool(connection);
    }

    private static string ReadResource()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from Build.dll.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
