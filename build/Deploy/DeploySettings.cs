using Build.Configuration;

namespace Build.Deploy;

public enum DeployStrategy
{
    /// <summary>Start the new release on the idle port, check it, then point Nginx at it and retire the old one.</summary>
    BlueGreen,
    /// <summary>One PM2 app on one port: switch <c>current</c>, <c>pm2 startOrReload</c>, then check.</summary>
    Reload,
}

/// <summary>What the release steps need to know about one host's layout and processes. Built from
/// <see cref="VpsSettings"/>; tests build it directly to put several "hosts" on one machine.</summary>
public sealed record DeploySettings
{
    /// <summary>Absolute path on the host holding releases/, shared/, current.</summary>
    public required string BasePath { get; init; }
    /// <summary>PM2 app name; blue/green runs <c>&lt;name&gt;-blue</c> and <c>&lt;name&gt;-green</c>. Also the Nginx upstream name.</summary>
    public required string AppName { get; init; }
    public DeployStrategy Strategy { get; init; } = DeployStrategy.BlueGreen;
    /// <summary>Blue's port, then green's. The reload strategy uses the first.</summary>
    public IReadOnlyList<int> Ports { get; init; } = [3000, 3001];
    public int Instances { get; init; } = 2;
    public int KeepReleases { get; init; } = 5;
    public string? NginxUpstreamFile { get; init; }
    public string NginxReloadCommand { get; init; } = "nginx -s reload";
    /// <summary>Least privilege: the command that points the upstream at a port (<c>sudo -n /usr/local/sbin/muva-nginx-switch</c>);
    /// called with the upstream name and the port. When set, the deploy writes no Nginx file itself.</summary>
    public string? NginxSwitchCommand { get; init; }
    public string HealthPath { get; init; } = "/api/health";
    /// <summary>Entry point, relative to the release folder.</summary>
    public string Entry { get; init; } = "server.js";
    /// <summary>PM2 executable on the host (a path when it is not on the non-interactive PATH, e.g. under nvm).</summary>
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
    /// <summary>Pause between the Nginx switch and stopping the old color, so requests already sent to it finish.</summary>
    public int DrainSeconds { get; init; } = 2;
    /// <summary>Blue/green: the old color keeps running (no traffic) after a switch, so that a rollback to it is a
    /// switch; false stops it after <see cref="DrainSeconds"/>.</summary>
    public bool KeepPreviousWarm { get; init; } = true;
    /// <summary>Files linked from shared/ into every release.</summary>
    public IReadOnlyList<string> SharedFiles { get; init; } = [".env"];
    /// <summary>Directories linked from shared/ into every release.</summary>
    public IReadOnlyList<string> SharedDirectories { get; init; } = ["uploads"];

    public int BluePort => Ports[0];
    public int GreenPort => Ports.Count > 1 ? Ports[1] : throw new InvalidOperationException($"Blue/green for {AppName} needs two ports in vps.ports, found {Ports.Count}.");

    public static DeployStrategy ParseStrategy(string value) => value.Trim().ToLowerInvariant() switch
    {
        "bluegreen" or "blue-green" or "blue/green" => DeployStrategy.BlueGreen,
        "reload" => DeployStrategy.Reload,
        _ => throw new ArgumentException($"vps.strategy '{value}' is not known: use \"bluegreen\" or \"reload\"."),
    };

    /// <summary>Settings for one environment. <paramref name="resolvePath"/> turns a relative path (base path, upstream file, PM2_HOME) into an
    /// absolute one (the local transport resolves against the repository root).</summary>
    public static DeploySettings From(VpsSettings vps, AppSettings app, Func<string, string>? resolvePath = null)
    {
        resolvePath ??= p => p;
        if (string.IsNullOrWhiteSpace(vps.BasePath)) throw new ArgumentException("vps.basePath is empty.");
        if (!System.Text.RegularExpressions.Regex.IsMatch(vps.Pm2AppName, "^[A-Za-z0-9_.-]+$"))
            throw new ArgumentException($"vps.pm2AppName '{vps.Pm2AppName}' must be letters, digits, '.', '_' or '-' (it names PM2 apps and the Nginx upstream).");
        var strategy = ParseStrategy(vps.Strategy);
        if (vps.Ports.Count < (strategy == DeployStrategy.BlueGreen ? 2 : 1))
            throw new ArgumentException($"vps.ports needs {(strategy == DeployStrategy.BlueGreen ? "two ports" : "a port")} for strategy {vps.Strategy}.");
        var basePath = resolvePath(vps.BasePath);
        if (!basePath.StartsWith('/')) throw new ArgumentException($"vps.basePath '{vps.BasePath}' must be absolute on the host.");
        return new DeploySettings
        {
            BasePath = basePath.TrimEnd('/'),
            AppName = vps.Pm2AppName,
            Strategy = strategy,
            Ports = vps.Ports,
            Instances = vps.Instances,
            KeepReleases = Math.Max(2, vps.KeepReleases),
            NginxUpstreamFile = vps.NginxUpstreamFile is { Length: > 0 } f ? resolvePath(f) : null,
            NginxReloadCommand = vps.NginxReloadCommand,
            NginxSwitchCommand = vps.NginxSwitchCommand is { Length: > 0 } sw ? sw : null,
            HealthPath = vps.HealthPath,
            Entry = app.Entry,
            Pm2Command = vps.Pm2Command,
            Pm2Home = vps.Pm2Home is { Length: > 0 } h ? resolvePath(h) : null,
            LockWaitSeconds = vps.LockWaitSeconds,
            HealthTimeoutSeconds = vps.HealthTimeoutSeconds,
            ListenTimeoutSeconds = vps.ListenTimeoutSeconds,
            WaitReady = vps.WaitReady,
            DrainSeconds = vps.DrainSeconds,
            KeepPreviousWarm = vps.KeepPreviousWarm,
            SharedFiles = vps.SharedFiles,
            SharedDirectories = vps.SharedDirectories,
        };
    }
}

/// <summary>Paths of the release layout on a host.</summary>
public sealed record ReleaseLayout(string BasePath)
{
    public string Releases => $"{BasePath}/releases";
    public string Shared => $"{BasePath}/shared";
    public string Current => $"{BasePath}/current";
    public string Uploads => $"{BasePath}/.uploads";
    public string Lock => $"{BasePath}/.deploy-lock";
    public string LockInfo => $"{Lock}/info";
    public string RevisionsLog => $"{BasePath}/revisions.log";
    /// <summary>Which color (blue/green) takes traffic now.</summary>
    public string LiveColorFile => $"{BasePath}/.live-color";
    public string Release(string name) => $"{Releases}/{name}";
    /// <summary>Where an archive is unpacked before it is renamed into releases/: never a candidate for current.</summary>
    public string UnpackTemp(string name) => $"{Releases}/.tmp-{name}";
    public string Upload(string name) => $"{Uploads}/{name}.partial";
    /// <summary>A release that failed its health check holds this file (the reason); rollback skips it.</summary>
    public const string FailedMarker = ".deploy-failed";
    /// <summary>A release that took traffic at least once holds this file. Rollback's default target must have it: a
    /// release unpacked by a deploy that was cut before its switch was never checked or served.</summary>
    public const string WentLiveMarker = ".went-live";

    /// <summary>Release folder name: UTC time of the deploy and the short commit, so names sort by age.</summary>
    public static string ReleaseName(DateTimeOffset utc, string shortCommit) =>
        $"{utc.UtcDateTime:yyyyMMddHHmmss}-{shortCommit}";

    /// <summary>Matches release folder names (and nothing else in releases/).</summary>
    public const string ReleaseNamePattern = "^[0-9]{14}-[0-9a-f]{4,40}$";
}
