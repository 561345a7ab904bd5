using System.Collections.Concurrent;
using Build.Deploy;
using Build.Tests.Infrastructure;

namespace Build.Tests.Deploy;

/// <summary>
/// Once per test run for the Deploy tests: a temp folder, the sshd servers (started on first use), and every
/// simulated host's Nginx and PM2 daemon, all stopped at the end by PID / pid file / <c>pm2 kill</c>.
/// </summary>
[SetUpFixture]
public sealed class DeployEnvironment
{
    private static readonly Lazy<string> Root = new(() => Directory.CreateTempSubdirectory("deploy-tests-").FullName);
    private static readonly ConcurrentBag<IDisposable> Owned = [];
    private static readonly object Gate = new();
    private static SshServer? _ssh;
    private static SshServer? _secondSsh;
    private static int _hosts;

    public static string TempRoot => Root.Value;

    /// <summary>The shared sshd (most tests); <see cref="SecondSsh"/> is a second "machine" for the two-host
    /// test.</summary>
    internal static SshServer Ssh => StartSsh(ref _ssh, "sshd-1");
    internal static SshServer SecondSsh => StartSsh(ref _secondSsh, "sshd-2");

    /// <summary>PM2 from the repository's node_modules (npm ci), else from PATH.</summary>
    internal static string Pm2
    {
        get
        {
            var local = Path.Combine(Require.RepositoryRoot, "node_modules", ".bin", "pm2");
            if (File.Exists(local)) return local;
            return Require.Tool("pm2");
        }
    }

    private static SshServer StartSsh(ref SshServer? server, string name)
    {
        lock (Gate)
        {
            if (server is not null) return server;
            Require.Tool("sshd");
            Require.Tool("ssh-keygen");
            server = SshServer.Start(Path.Combine(TempRoot, name));
            Owned.Add(server);
            return server;
        }
    }

    /// <summary>A fresh simulated host: its own base path, PM2_HOME, ports and Nginx, on <paramref name="ssh"/>'s
    /// machine.</summary>
    internal static TestHost NewHost(SshServer? ssh)
    {
        Require.Tool("nginx");
        Require.Tool("curl");
        Require.Tool("node");
        var pm2 = Pm2;
        var number = Interlocked.Increment(ref _hosts);
        var directory = Path.Combine(TempRoot, $"host-{number}");
        var appName = $"muva-test-{number}";
        var blue = Infrastructure.Ports.Free();
        int green;
        do green = Infrastructure.Ports.Free(); while (green == blue);
        var nginx = NginxServer.Start(Path.Combine(directory, "nginx"), appName, blue);
        var host = new TestHost(ssh, nginx, new DeploySettings
        {
            BasePath = Path.Combine(directory, "www"),
            AppName = appName,
            Ports = [blue, green],
            Instances = 1,
            KeepReleases = 3,
            NginxUpstreamFile = nginx.UpstreamFile,
            NginxReloadCommand = nginx.ReloadCommand,
            HealthPath = "/api/health",
            Pm2Command = pm2,
            Pm2Home = Path.Combine(directory, "pm2"),
            LockWaitSeconds = 20,
            HealthTimeoutSeconds = 5,
            ListenTimeoutSeconds = 8,
            DrainSeconds = 1,
            // Most tests check the retiring of the old color; the warm previous release has tests of its own.
            KeepPreviousWarm = false,
        });
        Owned.Add(host);
        return host;
    }

    [OneTimeTearDown]
    public void StopEverything()
    {
        foreach (var owned in Owned)
        {
            try { owned.Dispose(); }
            catch (Exception ex) { TestContext.Progress.WriteLine($"cleanup: {ex.Message}"); }
        }
        if (Root.IsValueCreated)
        {
            try { Directory.Delete(Root.Value, recursive: true); }
            catch (IOException) { }
        }
    }
}
