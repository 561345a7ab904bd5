using System.Globalization;
using System.Text;

namespace Build.Health;

/// <summary>The outcome for one URL: healthy or the last reason it was not, with the latencies of every answer.</summary>
public sealed record UrlHealth(
    Uri Url,
    bool Healthy,
    int Attempts,
    IReadOnlyList<TimeSpan> Latencies,
    string? ReportedCommit,
    string? Failure)
{
    public TimeSpan? MinLatency => Latencies.Count == 0 ? null : Latencies.Min();
    public TimeSpan? AverageLatency => Latencies.Count == 0 ? null : TimeSpan.FromTicks((long)Latencies.Average(l => l.Ticks));
    public TimeSpan? LastLatency => Latencies.Count == 0 ? null : Latencies[^1];

    public string LatencySummary => Latencies.Count == 0
        ? "no answer"
        : $"min {Ms(MinLatency)} / avg {Ms(AverageLatency)} / last {Ms(LastLatency)}";

    public string Describe() => Healthy
        ? $"{Url}: healthy after {Attempts} attempt(s){(ReportedCommit is null ? "" : $", commit {HealthEndpoint.Short(ReportedCommit)}")}; latency {LatencySummary}"
        : $"{Url}: NOT healthy after {Attempts} attempt(s): {Failure}; latency {LatencySummary}";

    private static string Ms(TimeSpan? value) => string.Create(CultureInfo.InvariantCulture, $"{value!.Value.TotalMilliseconds:0} ms");
}

public sealed record HealthReport(IReadOnlyList<UrlHealth> Urls, string? ExpectedCommit, TimeSpan Elapsed)
{
    public bool Healthy => Urls.Count > 0 && Urls.All(u => u.Healthy);

    public IEnumerable<UrlHealth> Failures => Urls.Where(u => !u.Healthy);

    public string Describe() => string.Join(Environment.NewLine, Urls.Select(u => u.Describe()));

    /// <summary>A markdown table for the CI job summary.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(Healthy ? "### Health check passed" : "### Health check FAILED");
        text.Append(ExpectedCommit is null ? " (commit not checked)\n\n" : $" (expected commit `{HealthEndpoint.Short(ExpectedCommit)}`)\n\n");
        text.Append("| URL | result | attempts | latency (min / avg / last) |\n|---|---|---|---|\n");
        foreach (var url in Urls)
            text.Append($"| {url.Url} | {(url.Healthy ? "healthy" : "**" + url.Failure!.Replace("|", "\\|") + "**")} | {url.Attempts} | {url.LatencySummary} |\n");
        return text.ToString();
    }
}
