using System.Text.Json.Serialization;

namespace Build.Deploy;

/// <summary><c>vps.strategy</c>: how a new release takes over from the old one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeployStrategy>))]
public enum DeployStrategy
{
    /// <summary>Start the new release on the idle port, check it, then point Nginx at it and retire the old
    /// one.</summary>
    [JsonStringEnumMemberName("bluegreen")] BlueGreen,
    /// <summary>One PM2 app on one port: switch <c>current</c>, <c>pm2 startOrReload</c>, then check.</summary>
    [JsonStringEnumMemberName("reload")] Reload,
}
