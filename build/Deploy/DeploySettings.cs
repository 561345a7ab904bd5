using System.Text.Json.Serialization;
using Build.Configuration;

namespace Build.Deploy;

/// <summary>
/// An environment's <c>vps</c> section in <c>build/environments.json</c>, and what the release steps read: the one
/// model of a host's layout and processes. Every default is declared here and nowhere else; the configuration
/// loader checks the values (<see cref="ConfigurationLoader"/>), so whoever receives an instance may trust it.
/// <c>environments.schema.json</c> describes the same properties: a test fails when the two differ
/// (docs/configuration.md, "Adding one VPS option"). Tests build instances directly to put several "hosts" on one
/// machine.
/// </summary>
public sealed record DeploySettings
{
    /// <summary>How the deploy reaches its hosts.</summary>
    public DeployTransport Transport { get; init; } = DeployTransport.Ssh;
    /// <summary>Hosts (<c>host</c> or <c>host:port</c>), deployed one by one; empty: the VPS_HOST secret.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];
    /// <summary>SSH port of hosts that do not name their own.</summary>
    public int SshPort { get; init; } = 22;
    /// <summary>SSH user; null: the VPS_USER secret.</summary>
    public string? User { get; init; }
    /// <summary>Path on the host holding releases/, shared/, current (absolute once the deploy targets are built:
    /// the local transport resolves it against the repository).</summary>
    public required string BasePath { get; init; }
    /// <summary>PM2 app name; blue/green runs <c>&lt;name&gt;-blue</c> and <c>&lt;name&gt;-green</c>. Also the Nginx
    /// upstream name.</summary>
    [JsonPropertyName("pm2AppName")] public required string AppName { get; init; }
    public DeployStrategy Strategy { get; init; } = DeployStrategy.BlueGreen;
    /// <summary>Blue's port, then green's. The reload strategy uses the first.</summary>
    public IReadOnlyList<int> Ports { get; init; } = [3000, 3001];
    /// <summary>PM2 instances per color.</summary>
    public int Instances { get; init; } = 2;
    /// <summary>Releases kept on the host, the current one included (2 or more: one to roll back to).</summary>
    public int KeepReleases { get; init; } = 5;
    /// <summary>Nginx include holding the upstream; rewritten on switch.</summary>
    public string? NginxUpstreamFile { get; init; }
    public string NginxReloadCommand { get; init; } = "nginx -s reload";
    /// <summary>Least privilege: the command that points the upstream at a port (<c>sudo -n
    /// /usr/local/sbin/muva-nginx-switch</c>); called with the upstream name and the port. When set, the deploy writes
    /// no Nginx file itself.</summary>
    public string? NginxSwitchCommand { get; init; }
    /// <summary>Health path probed on the new release's own port before it takes traffic.</summary>
    public string HealthPath { get; init; } = "/api/health";
    /// <summary>PM2 executable on the host (a path when it is not on the non-interactive PATH, e.g. under
    /// nvm).</summary>
    public string Pm2Command { get; init; } = "pm2";
    /// <summary>PM2_HOME on the host, or null for PM2's default (~/.pm2).</summary>
    public string? Pm2Home { get; init; }
    /// <summary>How long a second deploy waits for the deploy lock before failing.</summary>
    public int LockWaitSeconds { get; init; } = 120;
    /// <summary>Deadline of the on-host health check of a new release.</summary>
    public int HealthTimeoutSeconds { get; init; } = 60;
    /// <summary>PM2 listen_timeout: how long PM2 waits for process.send('ready').</summary>
    public int ListenTimeoutSeconds { get; init; } = 30;
    /// <summary>PM2 wait_ready (the app calls process.send('ready') once listening).</summary>
    public bool WaitReady { get; init; } = true;
    /// <summary>Pause between the Nginx switch and stopping the old color, so requests already sent to it
    /// finish.</summary>
    public int DrainSeconds { get; init; } = 2;
    /// <summary>Blue/green: the old color keeps running (no traffic) after a switch, so that a rollback to it is a
    /// switch; false stops it after <see cref="DrainSeconds"/>. Costs the memory of one more set of app
    /// processes.</summary>
    public bool KeepPreviousWarm { get; init; } = true;
    /// <summary>Files linked from shared/ into every release.</summary>
    public IReadOnlyList<string> SharedFiles { get; init; } = [".env"];
    /// <summary>Directories linked from shared/ into every release.</summary>
    public IReadOnlyList<string> SharedDirectories { get; init; } = ["uploads"];
    /// <summary>The host key algorithm whose SHA256 fingerprint VPS_HOST_KEY pins (ssh-keygen -lf
    /// /etc/ssh/ssh_host_ed25519_key.pub).</summary>
    public string HostKeyAlgorithm { get; init; } = "ssh-ed25519";

    /// <summary>Entry point, relative to the release folder: the app's (<see cref="AppSettings.Entry"/>), set when
    /// the deploy targets are built; not part of the <c>vps</c> section.</summary>
    [JsonIgnore] public string Entry { get; init; } = AppSettings.DefaultEntry;

    [JsonIgnore]
    public int BluePort => Ports[0];

    [JsonIgnore]
    public int GreenPort =>
        Ports.Count > 1
            ? Ports[1]
            : throw new InvalidOperationException(
                $"Blue/green for {AppName} needs two ports in vps.ports, found {Ports.Count}."
            );
}
