using System.Globalization;
using System.Text;

namespace Build.Health;

/// <summary>The outcome for one URL: healthy or the last reason it was not, with the latencies of every
/// answer.</summary>
public sealed record UrlHealth(
    Uri Url,
    bool Healthy,
    int Attempts,
    IReadOnlyList<TimeSpan> Latencies,
    string? ReportedCommit,
    string? Failure)
{
    public TimeSpan? MinLatency => Latencies.Count == 0 ? null : Latencies.Min();
    public TimeSpan? AverageLatency =>
        Latencies.Count == 0 ? null : TimeSpan.FromTicks((long)Latencies.Average(l => l.Ticks));
    public TimeSpan? LastLatency => Latencies.Count == 0 ? null : Latencies[^1];

    public string LatencySummary => Latencies.Count == 0
        ? "no answer"
        : $"min {Ms(MinLatency)} / avg {Ms(AverageLatency)} / last {Ms(LastLatency)}";

    public string Describe() =>
        Healthy
            ? $"{Url}: healthy after {Attempts} attempt(s)" +
                $"{(ReportedCommit is null ? "" : $", commit {HealthEndpoint.Short(ReportedCommit)}")}; latency " +
                $"{LatencySummary}"
            : $"{Url}: NOT healthy after {Attempts} attempt(s): {Failure}; latency {LatencySummary}";

    private static string Ms(TimeSpan? value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value!.Value.TotalMilliseconds:0} ms");
}
