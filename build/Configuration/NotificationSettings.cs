namespace Build.Configuration;

/// <summary>An environment's <c>notifications</c>: where outcomes are announced.</summary>
public sealed class NotificationSettings
{
    /// <summary>Channels: "slack", "discord". Each needs its webhook secret.</summary>
    public List<string> Channels { get; set; } = [];
}
