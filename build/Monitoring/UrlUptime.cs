using System.Globalization;
using System.Text;

namespace Build.Monitoring;

/// <summary>Uptime and latency of one URL over the period.</summary>
public sealed record UrlUptime(
    string Url,
    int Probes,
    int Healthy,
    double UptimePercent,
    int? P50Ms,
    int? P95Ms,
    IReadOnlyList<Incident> Incidents
);
