using Npgsql;

namespace Build.Monitoring;

/// <summary>
/// Where Monitor keeps its probes so that they outlive the scheduled run that made them: the environment's own
/// database, in a private schema (<c>release_monitor</c>) that PostgREST does not expose and the API roles cannot read.
/// Each URL also has a state row (up/down since when) so that an alert is sent once per change, not per probe.
/// </summary>
public static class MonitorStore
{
    public const string Schema = "release_monitor";

    private const string CreateSql = $"""
        create schema if not exists {Schema};
        create table if not exists {Schema}.probes (
          id bigint generated always as identity primary key,
          environment text not null,
          url text not null,
          probed_at timestamptz not null,
          ok boolean not null,
          status integer,
          latency_ms integer,
          error text
        );
        create index if not exists probes_by_url on {Schema}.probes (environment, url, probed_at);
        create table if not exists {Schema}.url_state (
          environment text not null,
          url text not null,
          state text not null check (state in ('up', 'down')),
          since timestamptz not null,
          primary key (environment, url)
        );
        do $$
        begin
          -- On Supabase the API roles exist: keep them out of this schema (no-op on a plain PostgreSQL).
          if exists (select from pg_roles where rolname = 'anon') then
            execute 'revoke all on schema {Schema} from anon, authenticated';
          end if;
        end $$;
        """;

    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(CreateSql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Probes of <paramref name="environment"/> since <paramref name="since"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<ProbeRecord>> ReadAsync(
        NpgsqlConnection connection,
        string environment,
        DateTimeOffset since,
        CancellationToken cancellationToken = default
    )
    {
        await using var command = new NpgsqlCommand(
            $"select url, probed_at, ok, status, latency_ms, error from {Schema}.probes where environment = $1 and " +
            "probed_at >= $2 order by probed_at, id",
            connection
        );
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(since.UtcDateTime);
        var records = new List<ProbeRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            records.Add(
                new ProbeRecord(
                    reader.GetString(0),
                    new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero),
                    reader.GetBoolean(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5)
                )
            );
        return records;
    }
}
