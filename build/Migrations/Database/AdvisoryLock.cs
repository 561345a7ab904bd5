using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Build.Migrations.Database;

/// <summary>
/// A session-level PostgreSQL advisory lock that serialises migration runs on one database. The key is derived from a
/// name, so every copy of this suite (and only it) agrees on it. Waiting polls pg_try_advisory_lock so that the wait
/// is bounded and reports who holds the lock.
/// </summary>
public static class AdvisoryLock
{
    public static long KeyFor(string name) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("muva-release-suite:" + name)), 0);

    /// <summary>Takes the lock or throws <see cref="MigrationLockTimeoutException"/> naming the holder; returns the
    /// time waited.</summary>
    public static async Task<TimeSpan> AcquireAsync(
        NpgsqlConnection connection,
        string name,
        TimeSpan wait,
        Action<string> progress,
        CancellationToken cancellationToken = default
    )
    {
        var key = KeyFor(name);
        var waited = Stopwatch.StartNew();
        var lastReport = TimeSpan.FromSeconds(-10);
        while (true)
        {
            await using (
                var attempt = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection)
                {
                    Parameters = { new() { Value = key } },
                }
            )
                if ((bool)(await attempt.ExecuteScalarAsync(cancellationToken))!)
                    return waited.Elapsed;

            var holder = await DescribeHolderAsync(connection, key, cancellationToken);
            if (waited.Elapsed >= wait)
                throw new MigrationLockTimeoutException(
                    $"Another migration run holds the migration lock '{name}' on {connection.Host}:{connection.Port}/" +
                    $"{connection.Database} "
                        + $"and did not release it within {wait.TotalSeconds:0} s: {holder}. Wait for it to finish, " +
                        "or if it is stuck end that session "
                        + "(SELECT pg_terminate_backend(<pid>)) and check its migrations. Raise " +
                        "Migrations.AdvisoryLockWaitSeconds in environments.json to wait longer."
                );
            if (waited.Elapsed - lastReport >= TimeSpan.FromSeconds(10))
            {
                progress($"Waiting for the migration lock '{name}' held by {holder} (up to {wait.TotalSeconds:0} s)");
                lastReport = waited.Elapsed;
            }
            await Task.Delay(
                TimeSpan.FromMilliseconds(Math.Min(500, 50 + waited.ElapsedMilliseconds / 10)),
                cancellationToken
            );
        }
    }

    public static async Task ReleaseAsync(NpgsqlConnection connection, string name)
    {
        if (connection.State != System.Data.ConnectionState.Open) return; // closing the session released it
        try
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection)
            {
                Parameters = { new() { Value = KeyFor(name) } },
            };
            await release.ExecuteScalarAsync();
        }
        // A broken session released the lock as it died; the error that broke it is the one to report.
        catch (NpgsqlException) { }
    }

    /// <summary>"pid 123 (application 'x', user postgres from 10.0.0.5, running for 42 s: active)" or "an unknown
    /// session".</summary>
    public static async Task<string> DescribeHolderAsync(
        NpgsqlConnection connection,
        long key,
        CancellationToken cancellationToken
    )
    {
        const string sql = """
            SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, ''), coalesce(host(a.client_addr),
                'local socket'),
                   extract(epoch FROM now() - coalesce(a.xact_start, a.backend_start))::int, coalesce(a.state, '')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND
                l.objsubid = 1
            LIMIT 1
            """;
        try
        {
            await using var command = new NpgsqlCommand(sql, connection)
            {
                Parameters =
                {
                    new() { Value = (long)(uint)(key >> 32) },
                    new() { Value = (long)(uint)(key & 0xffffffff) },
                },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return "a session that just released it";
            return $"pid {reader.GetInt32(0)} (application '{reader.GetString(1)}', user {reader.GetString(2)} from " +
                $"{reader.GetString(3)}, "
                + $"for {reader.GetInt32(4)} s, {reader.GetString(5)})";
        }
        catch (PostgresException)
        {
            // Without pg_read_all_stats other sessions' details may be hidden; the wait still works.
            return "another session (its details are not visible to this user)";
        }
    }
}
