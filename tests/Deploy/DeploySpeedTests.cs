using System.Text.Json;
using System.Text.RegularExpressions;
using Build.Deploy;
using Build.Packaging;

namespace Build.Tests.Deploy;

/// <summary>
/// The behaviour behind issue 12's deploy speed goals, on the real sshd/PM2/Nginx rig (no timings asserted; those are
/// in bench/deploy.sh): a deploy and a rollback are one SSH connection per host (counted in sshd's own log), and with
/// <c>keepPreviousWarm</c> the previous release keeps running, so a rollback to it is a switch (its process is not
/// restarted), falling back to starting it when it is not running.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class DeploySpeedTests
{
    private const string Who = "tester@deploy-speed";
    private readonly List<string> _progress = [];

    private void Progress(string line)
    {
        lock (_progress) _progress.Add(line);
        TestContext.Out.WriteLine(line);
    }

    /// <summary>One second later per deploy: release names (to the second) keep the order of the deploys.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => _now = _now.AddSeconds(1);
    }

    private readonly SteppingClock _clock = new();

    private async Task<DeployResult> DeployAsync(TestHost host, ReleaseArtifact artifact)
    {
        await using var connection = host.Connect();
        return await new DeployService([host.AsDeployHost(connection)], Progress, Who, _clock).DeployAsync(artifact);
    }

    private async Task RollbackAsync(TestHost host)
    {
        await using var connection = host.Connect();
        await new RollbackService([host.AsDeployHost(connection)], Progress, Who).RollbackAsync();
    }

    [GeneratedRegex("Accepted publickey for root from 127\\.0\\.0\\.1 port [0-9]+")]
    private static partial Regex Accepted();

    /// <summary>Connections sshd accepted while <paramref name="action"/> ran (its log, LogLevel VERBOSE).</summary>
    private static async Task<int> ConnectionsDuringAsync(SshServer ssh, Func<Task> action)
    {
        var from = new FileInfo(ssh.LogFile).Length;
        await action();
        await Task.Delay(200);
        using var stream = new FileStream(ssh.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(from, SeekOrigin.Begin);
        return Accepted().Matches(await new StreamReader(stream).ReadToEndAsync()).Count;
    }

    /// <summary>PID of each PM2 app of the host, by name.</summary>
    private static Dictionary<string, int> Pm2Pids(TestHost host)
    {
        var json = Processes.Run(host.Settings.Pm2Command, ["jlist"], new Dictionary<string, string> { ["PM2_HOME"] = host.Settings.Pm2Home! });
        using var doc = JsonDocument.Parse(json[json.IndexOf('[')..]);
        return doc.RootElement.EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("pid").GetInt32());
    }

    [Test]
    public async Task A_deploy_and_a_rollback_each_use_one_SSH_connection_for_lock_upload_and_release()
    {
        var ssh = DeployEnvironment.Ssh;
        var host = DeployEnvironment.NewHost(ssh);
        var first = FixtureArtifacts.Build();
        var second = FixtureArtifacts.Build(paddingBytes: 2 << 20);
        await DeployAsync(host, first);

        var deployConnections = await ConnectionsDuringAsync(ssh, () => DeployAsync(host, second));
        var rollbackConnections = await ConnectionsDuringAsync(ssh, () => RollbackAsync(host));

        deployConnections.Should().Be(1, "lock, upload (streamed into the release phase) and release share one connection");
        // Each phase says where its time went: the connection (opened once, by the lock phase), then step by step.
        _progress.Should().Contain(l => Regex.IsMatch(l, @"\] lock: [0-9]+\.[0-9]{2} s \(connect [0-9]+\.[0-9]{2}, .*\)$"));
        _progress.Should().Contain(l => Regex.IsMatch(l, @"\] release: [0-9]+\.[0-9]{2} s \(.*receive [0-9]+\.[0-9]{2}.*\)$") && !l.Contains("connect"));
        rollbackConnections.Should().Be(1, "lock and switch share one connection");
        (await host.ServedCommitEventuallyAsync(first.Commit)).Should().Be(first.Commit);
        host.LockHeld.Should().BeFalse();
        Directory.GetFileSystemEntries(host.Layout.Uploads).Should().BeEmpty("nothing is staged on the host");
    }

    /// <summary>A new host with <c>keepPreviousWarm</c>, release A deployed (blue) and then B (green): A is the warm
    /// previous release.</summary>
    private async Task<(TestHost Host, ReleaseArtifact A, ReleaseArtifact B)> TwoWarmDeploysAsync()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        host.Settings = host.Settings with { KeepPreviousWarm = true };
        var a = FixtureArtifacts.Build();
        var b = FixtureArtifacts.Build();
        await DeployAsync(host, a);
        await DeployAsync(host, b);
        return (host, a, b);
    }

    [Test]
    public async Task With_keepPreviousWarm_the_previous_release_keeps_running_and_a_rollback_is_a_switch_to_it()
    {
        var (host, a, _) = await TwoWarmDeploysAsync();

        var blue = $"{host.Settings.AppName}-blue";
        var green = $"{host.Settings.AppName}-green";
        host.Pm2Apps().Should().BeEquivalentTo([(blue, "online"), (green, "online")], "the previous release (blue, A) stays warm beside the live one");
        var before = Pm2Pids(host);
        _progress.Clear();

        await RollbackAsync(host);

        (await host.ServedCommitEventuallyAsync(a.Commit)).Should().Be(a.Commit);
        _progress.Should().Contain(l => l.Contains($"{blue} still runs this release"), "the warm process is switched to");
        _progress.Should().NotContain(l => l.Contains("starting "), "nothing is started");
        Pm2Pids(host)[blue].Should().Be(before[blue], "A's process was not restarted");
        Pm2Pids(host)[green].Should().Be(before[green], "B stays warm in turn: rolling forward again is a switch too");
        host.LockHeld.Should().BeFalse();
    }

    [Test]
    public async Task A_rollback_whose_previous_release_is_not_running_starts_it_as_before()
    {
        var (host, a, _) = await TwoWarmDeploysAsync();
        var blue = $"{host.Settings.AppName}-blue";
        // The warm process is gone (a reboot without it, an operator's pm2 delete, the OOM killer).
        Processes.Run(host.Settings.Pm2Command, ["delete", blue], new Dictionary<string, string> { ["PM2_HOME"] = host.Settings.Pm2Home! });
        _progress.Clear();

        await RollbackAsync(host);

        (await host.ServedCommitEventuallyAsync(a.Commit)).Should().Be(a.Commit);
        _progress.Should().Contain(l => l.Contains($"starting {host.Layout.Release(host.ReleaseOf(a))} as {blue}"));
        host.Pm2Apps().Should().Contain((blue, "online"));
    }

    [Test]
    public async Task Without_keepPreviousWarm_the_old_color_is_stopped_after_the_switch()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        host.Settings = host.Settings with { KeepPreviousWarm = false };
        await DeployAsync(host, FixtureArtifacts.Build());
        await DeployAsync(host, FixtureArtifacts.Build());

        host.Pm2Apps().Should().ContainSingle().Which.Should().Be(($"{host.Settings.AppName}-green", "online"));
    }
}
