using System.Text;
using Npgsql;

namespace Build.Migrations.Database;

/// <summary>One environment's history, or why it could not be read.</summary>
public sealed record EnvironmentHistory(
    string Environment,
    IReadOnlyList<AppliedMigration>? History,
    string? Unavailable
)
{
    /// <summary>The cell shown for every version when the history could not be read.</summary>
    public string UnavailableLabel =>
        Unavailable?.StartsWith("unreachable", StringComparison.Ordinal) == true ? "unreachable" : "not configured";

    public static EnvironmentHistory NotConfigured(string environment, string why) => new(environment, null, why);

    /// <summary>Reads the history; a connection failure becomes "unreachable: ..." instead of an exception.</summary>
    public static async Task<EnvironmentHistory> ReadAsync(
        string environment,
        string connectionString,
        TimeSpan timeout,
        CancellationToken cancellationToken = default
    )
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = Math.Max(1, (int)timeout.TotalSeconds),
            CommandTimeout = Math.Max(1, (int)timeout.TotalSeconds),
        };
        try
        {
            await using var connection = await MigrationRunner.OpenAsync(builder.ConnectionString, cancellationToken);
            return new EnvironmentHistory(
                environment,
                await SupabaseMigrationJournal.ReadAsync(connection, cancellationToken: cancellationToken),
                null
            );
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException or TimeoutException)
        {
            var reason = (e.InnerException ?? e).Message;
            return new EnvironmentHistory(
                environment,
                null,
                $"unreachable ({builder.Host}:{builder.Port}: {reason.Split('\n')[0]})"
            );
        }
    }
}
