using System.Net.Http.Json;
using System.Text.Json;
using Build.Deploy;
using Build.Packaging;

namespace Build.Tests.Deploy;

/// <summary>One simulated VPS: an sshd to reach it (or none: local transport), an Nginx in front, a PM2
/// daemon.</summary>
internal sealed class TestHost(SshServer? ssh, NginxServer nginx, DeploySettings settings) : IDisposable
{
    // Bounds a hang only: a loaded machine may take seconds to answer through Nginx and Node.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private bool _disposed;

    public SshServer? Ssh => ssh;
    public NginxServer Nginx => nginx;
    public DeploySettings Settings { get; set; } = settings;
    public ReleaseLayout Layout => new(Settings.BasePath);

    /// <summary>A transport to this host: SSH with the pinned host key (or <paramref name="pin"/>), or local.</summary>
    public IRemoteHost Connect(string? pin = null) => ssh is null
        ? new LocalHost()
        : new SshRemoteHost("127.0.0.1", ssh.Port, "root", ssh.ClientKey, pin ?? ssh.Fingerprint);

    public DeployHost AsDeployHost(IRemoteHost? remote = null) => new(remote ?? Connect(), Settings);

    /// <summary>The commit Nginx serves now (the health route's answer), or the failure as text.</summary>
    public async Task<string> ServedCommitAsync()
    {
        try
        {
            using var response = await Http.GetAsync($"{nginx.Url}/api/health");
            if (!response.IsSuccessStatusCode) return $"HTTP {(int)response.StatusCode}";
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("commit").GetString() ?? "";
        }
        catch (HttpRequestException ex)
        {
            return $"unreachable: {ex.Message}";
        }
    }

    /// <summary>Nginx reloads asynchronously (old workers finish first): wait until it serves <paramref name="commit"/>
    /// (at most 30 s, a bound for a loaded machine: 2 s was not always enough), then return what it serves.</summary>
    public async Task<string> ServedCommitEventuallyAsync(string commit)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var served = await ServedCommitAsync();
        while (served != commit && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            served = await ServedCommitAsync();
        }
        return served;
    }

    public string? CurrentRelease =>
        new FileInfo(Layout.Current) is { LinkTarget: { } target } ? Path.GetFileName(target) : null;

    public IReadOnlyList<string> Releases =>
        Directory.Exists(Layout.Releases)
            ? Directory
                .GetDirectories(Layout.Releases)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(n => !n.StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    public string ReleaseOf(ReleaseArtifact artifact) =>
        Releases.Single(r => r.EndsWith("-" + artifact.ShortCommit, StringComparison.Ordinal));

    public bool LockHeld => Directory.Exists(Layout.Lock);

    /// <summary>PM2 apps of this host as (name, status).</summary>
    public IReadOnlyList<(string Name, string Status)> Pm2Apps()
    {
        if (!Directory.Exists(Settings.Pm2Home))
            return [];
        var json = Processes.Run(
            Settings.Pm2Command,
            ["jlist"],
            new Dictionary<string, string> { ["PM2_HOME"] = Settings.Pm2Home! }
        );
        using var doc = JsonDocument.Parse(json[json.IndexOf('[')..]);
        return doc
            .RootElement.EnumerateArray()
            .Select(a =>
                (a.GetProperty("name").GetString()!, a.GetProperty("pm2_env").GetProperty("status").GetString()!)
            )
            .ToList();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (Settings.Pm2Home is { } home && Directory.Exists(home))
        {
            try
            {
                Processes.Run(
                    Settings.Pm2Command,
                    ["kill"],
                    new Dictionary<string, string> { ["PM2_HOME"] = home },
                    timeoutSeconds: 30
                );
            }
            catch (Exception ex)
            {
                TestContext.Progress.WriteLine($"pm2 kill ({home}): {ex.Message}");
            }
        }
        nginx.Dispose();
    }
}
