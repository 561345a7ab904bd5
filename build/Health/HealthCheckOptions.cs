namespace Build.Health;

/// <summary>How long and how often to probe.</summary>
public sealed record HealthCheckOptions
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Overall budget for every URL together; a URL not healthy by then fails.</summary>
    public TimeSpan Deadline { get; init; } = DefaultDeadline;
    /// <summary>One request may take this long (capped by what is left of <see cref="Deadline"/>).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>First wait between attempts; doubles (with jitter) up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(4);
}
