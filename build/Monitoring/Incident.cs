using System.Globalization;
using System.Text;

namespace Build.Monitoring;

/// <summary>One outage of one URL: from its first failed probe to the first healthy one after (null: still
/// down).</summary>
public sealed record Incident(
    string Url,
    DateTimeOffset Start,
    DateTimeOffset? End,
    int FailedProbes,
    string? FirstError
)
{
    public TimeSpan Duration(DateTimeOffset now) => (End ?? now) - Start;
}
