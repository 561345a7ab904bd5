namespace Build.Health;

/// <summary>The result of one GET.</summary>
/// <param name="Latency">Time to the whole body; null when nothing answered.</param>
public sealed record ProbeResult(bool Healthy, TimeSpan? Latency, string? ReportedCommit, string? Failure);
