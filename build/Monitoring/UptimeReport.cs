using System.Globalization;
using System.Text;

namespace Build.Monitoring;

/// <summary>
/// MonitorReport's figures, computed from the recorded probes only: uptime = healthy probes / all probes, latency
/// percentiles over the healthy answers, and incidents = runs of at least <c>failuresBeforeAlert</c> consecutive failed
/// probes (the same rule that sends an alert, so every incident had one). Shorter blips count against uptime only.
/// </summary>
public sealed record UptimeReport(
    string Environment,
    DateTimeOffset Since,
    DateTimeOffset Until,
    double GoalPercent,
    IReadOnlyList<UrlUptime> Urls
)
{
    public const double DefaultGoalPercent = 95.0;

    public static UptimeReport From(
        string environment,
        IReadOnlyList<ProbeRecord> probes,
        DateTimeOffset since,
        DateTimeOffset until,
        int failuresBeforeAlert,
        double goalPercent = DefaultGoalPercent
    )
    {
        var urls = probes
            .GroupBy(p => p.Url, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(group =>
            {
                var list = group.OrderBy(p => p.At).ToList();
                var healthy = list.Count(p => p.Ok);
                var latencies = list.Where(p => p.Ok && p.LatencyMs is not null)
                    .Select(p => p.LatencyMs!.Value)
                    .Order()
                    .ToList();
                return new UrlUptime(
                    group.Key,
                    list.Count,
                    healthy,
                    list.Count == 0 ? 0 : 100.0 * healthy / list.Count,
                    Percentile(latencies, 0.50),
                    Percentile(latencies, 0.95),
                    Incidents(group.Key, list, failuresBeforeAlert)
                );
            })
            .ToList();
        return new UptimeReport(environment, since, until, goalPercent, urls);
    }

    /// <summary>All probes together: the environment's uptime (every URL must be healthy to count as up).</summary>
    public double UptimePercent =>
        Urls.Sum(u => u.Probes) is var total && total == 0 ? 0 : 100.0 * Urls.Sum(u => u.Healthy) / total;
    public bool MeetsGoal => UptimePercent >= GoalPercent;

    /// <summary>Nearest-rank percentile.</summary>
    private static int? Percentile(IReadOnlyList<int> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static List<Incident> Incidents(string url, IReadOnlyList<ProbeRecord> probes, int threshold)
    {
        var incidents = new List<Incident>();
        for (var i = 0; i < probes.Count; i++)
        {
            if (probes[i].Ok) continue;
            var start = i;
            while (i < probes.Count && !probes[i].Ok) i++;
            var failed = i - start;
            if (failed >= threshold)
                incidents.Add(
                    new Incident(
                        url,
                        probes[start].At,
                        i < probes.Count ? probes[i].At : null,
                        failed,
                        probes[start].Error
                    )
                );
        }
        return incidents;
    }

    private static string Percent(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + " %";
    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(
            $"Uptime of {Environment} from {Time(Since)} to {Time(Until)} UTC: {Percent(UptimePercent)} "
                + $"(goal {Percent(GoalPercent)}: {(MeetsGoal ? "met" : "NOT met")}), {Urls.Sum(u => u.Probes)} probes"
        );
        if (Urls.Count == 0)
            text.AppendLine("No probes recorded in this period: is the Monitor workflow running?");
        foreach (var url in Urls)
        {
            text.AppendLine(
                $"  {url.Url}: {Percent(url.UptimePercent)} of {url.Probes} probes, latency p50 {Ms(url.P50Ms)} / " +
                $"p95 {Ms(url.P95Ms)}, {url.Incidents.Count} incident(s)"
            );
            foreach (var incident in url.Incidents)
                text.AppendLine(
                    $"    {Time(incident.Start)} -> {(incident.End is { } end ? Time(end) : "ongoing")} "
                        + $"({MonitorAlert.Describe(incident.Duration(Until))}, {incident.FailedProbes} failed " +
                        $"probes): {incident.FirstError}"
                );
        }
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(
            $"### Uptime of `{Environment}`: {Percent(UptimePercent)} {(MeetsGoal ? "✅" : "❌")} (goal " +
            $"{Percent(GoalPercent)})\n"
        );
        md.AppendLine($"{Time(Since)} to {Time(Until)} UTC, {Urls.Sum(u => u.Probes)} probes.\n");
        md.AppendLine("| URL | uptime | probes | p50 | p95 | incidents |\n|---|---|---|---|---|---|");
        foreach (var url in Urls)
            md.AppendLine(
                $"| {url.Url} | {Percent(url.UptimePercent)} | {url.Probes} | {Ms(url.P50Ms)} | {Ms(url.P95Ms)} | " +
                $"{url.Incidents.Count} |"
            );
        var incidents = Urls.SelectMany(u => u.Incidents).OrderBy(i => i.Start).ToList();
        if (incidents.Count > 0)
        {
            md.AppendLine("\n| URL | start | end | duration | first error |\n|---|---|---|---|---|");
            foreach (var i in incidents)
                md.AppendLine(
                    $"| {i.Url} | {Time(i.Start)} | {(i.End is { } e ? Time(e) : "ongoing")} | " +
                    $"{MonitorAlert.Describe(i.Duration(Until))} | {i.FirstError} |"
                );
        }
        return md.ToString();
    }

    private static string Ms(int? value) => value is { } v ? $"{v} ms" : "-";
}
