using System.Globalization;
using System.Text;

namespace Build.Health;

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
        text.Append(
            ExpectedCommit is null
                ? " (commit not checked)\n\n"
                : $" (expected commit `{HealthEndpoint.Short(ExpectedCommit)}`)\n\n"
        );
        text.Append("| URL | result | attempts | latency (min / avg / last) |\n|---|---|---|---|\n");
        foreach (var url in Urls)
            text.Append(
                $"| {url.Url} | {(url.Healthy ? "healthy" : "**" + url.Failure!.Replace("|", "\\|") + "**")} | " +
                $"{url.Attempts} | {url.LatencySummary} |\n"
            );
        return text.ToString();
    }
}
