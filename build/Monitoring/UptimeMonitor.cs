using Build.Health;
using Npgsql;

namespace Build.Monitoring;

/// <summary>
/// Monitor's work for one scheduled run: probe every health URL once, record each probe in the environment's database
/// and return the alerts due: a URL turns DOWN after <c>failuresBeforeAlert</c> consecutive failed probes (so one
/// blip wakes nobody), and UP again on its first healthy probe after that. Each change is reported once: the state
/// lives in the database beside the probes. Runs of the same environment take turns (an advisory lock).
/// </summary>
public sealed class UptimeMonitor(
    string connectionString,
    string environment,
    HttpClient http,
    int failuresBeforeAlert,
    Action<string> log
)
{
    public async Task<IReadOnlyList<MonitorAlert>> RunAsync(
        IReadOnlyList<Uri> urls,
        DateTimeOffset now,
        CancellationToken cancellationToken = default
    )
    {
        var probes = await Task.WhenAll(urls.Select(url => ProbeAsync(url, now, cancellationToken)));
        foreach (var probe in probes)
            log(probe.Ok ? $"{probe.Url}: ok in {probe.LatencyMs} ms" : $"{probe.Url}: FAILED: {probe.Error}");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await MonitorStore.EnsureAsync(connection, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(
            connection,
            "select pg_advisory_xact_lock(hashtext($1))",
            [$"{MonitorStore.Schema}:{environment}"],
            cancellationToken
        );

        var alerts = new List<MonitorAlert>();
        foreach (var probe in probes)
        {
            await Execute(
                connection,
                $"insert into {MonitorStore.Schema}.probes (environment, url, probed_at, ok, status, latency_ms, " +
                "error) values ($1, $2, $3, $4, $5, $6, $7)",
                [
                    environment,
                    probe.Url,
                    probe.At.UtcDateTime,
                    probe.Ok,
                    (object?)probe.Status ?? DBNull.Value,
                    (object?)probe.LatencyMs ?? DBNull.Value,
                    (object?)probe.Error ?? DBNull.Value,
                ],
                cancellationToken
            );
            if (await TransitionAsync(connection, probe, cancellationToken) is { } alert)
                alerts.Add(alert);
        }
        await transaction.CommitAsync(cancellationToken);
        return alerts;
    }

    private async Task<MonitorAlert?> TransitionAsync(
        NpgsqlConnection connection,
        ProbeRecord probe,
        CancellationToken cancellationToken
    )
    {
        var (state, since) = await StateAsync(connection, probe.Url, cancellationToken);
        if (probe.Ok)
        {
            if (state != "down")
            {
                await SetStateAsync(connection, probe.Url, "up", since ?? probe.At, cancellationToken);
                return null;
            }
            await SetStateAsync(connection, probe.Url, "up", probe.At, cancellationToken);
            return new MonitorAlert(environment, probe.Url, Down: false, since!.Value, probe.At, 0, null);
        }
        if (state == "down") return null; // already announced
        // The failures since the last healthy probe (this one included), and when the streak began.
        await using var command = new NpgsqlCommand(
            $"""
            select count(*), min(probed_at) from {MonitorStore.Schema}.probes
            where environment = $1 and url = $2 and not ok
              and probed_at > coalesce((select max(probed_at) from {MonitorStore.Schema}.probes where environment = $1
                  and url = $2 and ok), '-infinity')
            """, connection);
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(probe.Url);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var failures = (int)reader.GetInt64(0);
        var streakStart = new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero);
        await reader.DisposeAsync();
        if (failures < failuresBeforeAlert)
        {
            log($"{probe.Url}: {failures} of {failuresBeforeAlert} consecutive failures before an alert");
            if (state is null) await SetStateAsync(connection, probe.Url, "up", probe.At, cancellationToken);
            return null;
        }
        await SetStateAsync(connection, probe.Url, "down", streakStart, cancellationToken);
        return new MonitorAlert(environment, probe.Url, Down: true, streakStart, probe.At, failures, probe.Error);
    }

    private async Task<(string? State, DateTimeOffset? Since)> StateAsync(
        NpgsqlConnection connection,
        string url,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            $"select state, since from {MonitorStore.Schema}.url_state where environment = $1 and url = $2",
            connection
        );
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(url);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetString(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero))
            : (null, null);
    }

    private Task SetStateAsync(
        NpgsqlConnection connection,
        string url,
        string state,
        DateTimeOffset since,
        CancellationToken cancellationToken
    ) =>
        Execute(
            connection,
            $"""
            insert into {MonitorStore.Schema}.url_state (environment, url, state, since) values ($1, $2, $3, $4)
            on conflict (environment, url) do update set state = excluded.state, since = excluded.since
            """, [environment, url, state, since.UtcDateTime], cancellationToken);

    private static async Task Execute(
        NpgsqlConnection connection,
        string sql,
        object[] parameters,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One GET, never thrown: a refused connection or a timeout is a failed probe with its reason.</summary>
    private async Task<ProbeRecord> ProbeAsync(Uri url, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var result = await HealthEndpoint.GetAsync(http, url, expectedCommit: null, timeout.Token);
            var status = result.Healthy ? 200 : StatusOf(result.Failure);
            return new ProbeRecord(
                url.ToString(),
                now,
                result.Healthy,
                status,
                (int?)result.Latency?.TotalMilliseconds,
                result.Failure
            );
        }
        catch (Exception ex)
            when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason =
                ex is TaskCanceledException
                    ? "no answer within 10 s"
                    : $"cannot connect ({(ex as HttpRequestException)?.HttpRequestError.ToString() ?? "error"}: " +
                        $"{ex.InnerException?.Message ?? ex.Message})";
            return new ProbeRecord(url.ToString(), now, false, null, null, reason);
        }
    }

    private static int? StatusOf(string? failure) =>
        failure is not null
        && failure.StartsWith("HTTP ", StringComparison.Ordinal)
        && int.TryParse(failure.AsSpan(5, 3), out var code)
            ? code
            : 200;
}
