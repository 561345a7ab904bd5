using System.Text.Json.Serialization;

namespace Build.Deploy;

/// <summary><c>vps.transport</c>: how the deploy reaches its hosts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeployTransport>))]
public enum DeployTransport
{
    /// <summary>SSH.NET to each host in <c>vps.hosts</c> (or the VPS_HOST secret).</summary>
    [JsonStringEnumMemberName("ssh")] Ssh,
    /// <summary>The same steps on this machine, no SSH: the local rehearsal.</summary>
    [JsonStringEnumMemberName("local")] Local,
}
