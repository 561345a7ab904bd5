using Npgsql;

namespace Build.Monitoring;

/// <summary>One recorded probe.</summary>
public sealed record ProbeRecord(string Url, DateTimeOffset At, bool Ok, int? Status, int? LatencyMs, string? Error);
