using System.Globalization;
using System.Text.RegularExpressions;
using Build.Monitoring;
using Npgsql;

namespace Build.Tasks;

[TaskName(nameof(MonitorReport))]
[TaskDescription(
    "Uptime % against the 95 % goal, p50/p95 latency and incidents (start, end, duration) of --env over --since= " +
    "(default 7d), from the probes Monitor recorded; also as a CI step summary"
)]
[TaskArgument<string>("since", "How far back: 7d, 24h, 90m (default 7d)", Placeholder = "PERIOD")]
[TaskArgument<int>("alert-after", "Consecutive failed probes that make an incident (default 3, as Monitor)")]
public sealed partial class MonitorReport : AsyncFrostingTask<BuildContext>
{
    [GeneratedRegex("^([0-9]+)([dhm])$")] private static partial Regex Period();

    public static TimeSpan ParsePeriod(string value)
    {
        var match = Period().Match(value.Trim());
        if (
            !match.Success
            || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || n < 1
        )
            throw new ArgumentException($"--since={value} is not a period such as 7d, 24h or 90m.");
        return match.Groups[2].Value switch
        {
            "d" => TimeSpan.FromDays(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromMinutes(n),
        };
    }

    public override async Task RunAsync(BuildContext context)
    {
        var until = DateTimeOffset.UtcNow;
        var since = until - ParsePeriod(context.Arg("since") ?? "7d");
        await using var database = await MigrationTaskSupport.OpenTargetAsync(context);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await MonitorStore.EnsureAsync(connection);
        var probes = await MonitorStore.ReadAsync(connection, context.EnvironmentName, since);
        var report = UptimeReport.From(context.EnvironmentName, probes, since, until, Monitor.AlertAfter(context));
        foreach (var line in report.ToText().TrimEnd().Split('\n')) context.Information(line);
        context.Ci.Summary(report.ToMarkdown());
    }
}
