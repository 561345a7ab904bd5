namespace Build.Monitoring;

/// <summary>A change of state of one URL: down after N consecutive failures, or back up.</summary>
public sealed record MonitorAlert(
    string Environment,
    string Url,
    bool Down,
    DateTimeOffset Since,
    DateTimeOffset At,
    int Failures,
    string? LastError
)
{
    public string Text() =>
        Down
            ? $"🔴 {Environment}: {Url} is DOWN since {Since:yyyy-MM-dd HH:mm:ss} UTC ({Failures} consecutive failed " +
                $"probes): {LastError}"
            : $"🟢 {Environment}: {Url} is back UP at {At:yyyy-MM-dd HH:mm:ss} UTC after {Describe(At - Since)} down " +
                $"(since {Since:yyyy-MM-dd HH:mm:ss} UTC)";

    public static string Describe(TimeSpan duration) =>
        duration.TotalMinutes < 1 ? $"{duration.TotalSeconds:0} s"
        : duration.TotalHours < 1 ? $"{(int)duration.TotalMinutes} min {duration.Seconds} s"
        : $"{(int)duration.TotalHours} h {duration.Minutes} min";
}
