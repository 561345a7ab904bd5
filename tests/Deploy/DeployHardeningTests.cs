using System.Diagnostics;
using System.Text.Json;
using Build.Deploy;
using Build.Health;
using Build.Packaging;

namespace Build.Tests.Deploy;

/// <summary>
/// Faults of issue 8 (deploy) on real sshd, PM2 and Nginx: failed releases are never rollback targets and do not
/// count toward keepReleases, a failed verification switches back to the still-running old color, PM2 gets only the
/// app's own environment.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DeployHardeningTests
{
    /// <summary>One second later per deploy: release names (to the second) keep the order of the deploys.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => _now = _now.AddSeconds(1);
    }

    private readonly DeployRunner _deploy = new("tester@deploy-hardening", new SteppingClock());

    private async Task<IReadOnlyList<HostRelease>> RevertAsync(TestHost host, DeployResult deployed)
    {
        await using var connection = host.Connect();
        return await new ReleaseVerification([host.AsDeployHost(connection)], _deploy.Report, _deploy.Who).RevertAsync(
            deployed,
            "VerifyDeploy: the public health check failed"
        );
    }

    private async Task FinishAsync(TestHost host, DeployResult deployed)
    {
        await using var connection = host.Connect();
        await new ReleaseVerification([host.AsDeployHost(connection)], _deploy.Report, _deploy.Who).FinishAsync(
            deployed
        );
    }

    [Test]
    public async Task A_release_that_failed_verification_is_marked_failed_and_never_becomes_a_rollback_target()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var a = FixtureArtifacts.Build();
        var b = FixtureArtifacts.Build();
        var c = FixtureArtifacts.Build();
        var d = FixtureArtifacts.Build();
        var aResult = await _deploy.DeployAsync(host, a);
        var bResult = await _deploy.DeployAsync(host, b);

        var cResult = await _deploy.DeployAsync(host, c, retireOldColor: false);
        await RevertAsync(host, cResult);

        (await host.ServedCommitEventuallyAsync(b.Commit)).Should().Be(b.Commit);
        host.CurrentRelease.Should().Be(bResult.Release);
        File.ReadAllText(Path.Combine(host.Layout.Release(cResult.Release), ReleaseLayout.FailedMarker))
            .Should()
            .Contain("VerifyDeploy");
        File.ReadAllText(host.Layout.RevisionsLog).Should().Contain($"failed {cResult.Release} {c.Commit}");

        // Later: a good deploy, then an automatic or manual rollback must not put the failed release back.
        await _deploy.DeployAsync(host, d);
        var rolledBack = await _deploy.RollbackAsync(host);
        rolledBack.Single().Release.Should().Be(bResult.Release, "the release that failed verification is skipped");
        (await host.ServedCommitEventuallyAsync(b.Commit)).Should().Be(b.Commit);

        var named = async () => await _deploy.RollbackAsync(host, cResult.Release);
        (await named.Should().ThrowAsync<RollbackRefusedException>()).WithMessage(
            $"*{cResult.Release}*failed a check*"
        );
        host.LockHeld.Should().BeFalse();
        host.Releases.Should().Contain(aResult.Release);
    }

    [Test]
    public async Task Prune_keeps_the_last_releases_that_served_traffic_and_failed_ones_do_not_count()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        host.Settings.KeepReleases.Should().Be(3);
        var good = new List<DeployResult>();
        foreach (var _ in Enumerable.Range(0, 3)) good.Add(await _deploy.DeployAsync(host, FixtureArtifacts.Build()));
        var failedNames = new List<string>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var broken = FixtureArtifacts.Build(unhealthy: true);
            var deploy = async () => await _deploy.DeployAsync(host, broken);
            await deploy.Should().ThrowAsync<DeployFailedException>();
            failedNames.Add(host.ReleaseOf(broken));
        }
        var last = await _deploy.DeployAsync(host, FixtureArtifacts.Build());

        host.Releases.Should().BeEquivalentTo([good[1].Release, good[2].Release, failedNames[1], last.Release],
            "the 3 newest releases that served traffic stay, and the newest failed one for inspection");

        (await _deploy.RollbackAsync(host)).Single().Release.Should().Be(good[2].Release);
        (await _deploy.RollbackAsync(host))
            .Single()
            .Release.Should()
            .Be(good[1].Release, "a second rollback still has a target");
    }

    [Test]
    public async Task A_failed_verification_switches_back_to_the_old_color_that_kept_serving_with_no_failed_request()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var old = FixtureArtifacts.Build();
        var next = FixtureArtifacts.Build();
        await _deploy.DeployAsync(host, old);
        var oldApp = host.Pm2Apps().Single();
        var oldPid = Pm2Pids(host).Single();
        // The Nginx switch does not take effect (its reload is a no-op): the public URL keeps the old commit.
        var realReload = host.Settings.NginxReloadCommand;
        host.Settings = host.Settings with { NginxReloadCommand = "true" };

        using var polling = new CancellationTokenSource();
        var failures = new List<string>();
        var requests = 0;
        var poller = Task.Run(async () =>
        {
            // 30 s: a loaded machine may be slow to answer; only a request that gets no answer at all is a failure.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            while (!polling.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.GetAsync($"{host.Nginx.Url}/api/health");
                    if (!response.IsSuccessStatusCode) lock (failures) failures.Add($"HTTP {(int)response.StatusCode}");
                }
                catch (HttpRequestException ex) { lock (failures) failures.Add(ex.Message); }
                catch (TaskCanceledException) { lock (failures) failures.Add("no answer within 30 s"); }
                Interlocked.Increment(ref requests);
                await Task.Delay(20);
            }
        });

        var deployed = await _deploy.DeployAsync(host, next, retireOldColor: false);
        host.Pm2Apps().Should().HaveCount(2, "the old color keeps running until the verification passed");
        using var http = new HttpClient();
        var report = await new HealthChecker(http, _deploy.Report).CheckAsync(
            [new Uri($"{host.Nginx.Url}/api/health")],
            next.Commit,
            new HealthCheckOptions { Deadline = TimeSpan.FromSeconds(2) }
        );
        report.Healthy.Should().BeFalse("Nginx still serves the old commit");
        var clock = Stopwatch.StartNew();
        await RevertAsync(host, deployed);
        TestContext.Out.WriteLine($"switched back in {clock.Elapsed.TotalSeconds:0.0} s");
        host.Settings = host.Settings with { NginxReloadCommand = realReload };
        await Task.Delay(300);
        await polling.CancelAsync();
        await poller;

        failures.Should().BeEmpty($"the old color served all {requests} requests");
        requests.Should().BeGreaterThan(20);
        File.ReadAllText(host.Nginx.UpstreamFile)
            .Should()
            .Contain($"127.0.0.1:{host.Settings.BluePort};", "the upstream points back at the old color");
        host.Pm2Apps()
            .Should()
            .ContainSingle()
            .Which.Should()
            .Be(oldApp, "the candidate is stopped, the old color kept");
        Pm2Pids(host).Single().Should().Be(oldPid, "the old color was never restarted");
        host.CurrentRelease.Should().NotBe(deployed.Release);
        File.Exists(Path.Combine(host.Layout.Release(deployed.Release), ReleaseLayout.FailedMarker)).Should().BeTrue();
    }

    [Test]
    public async Task A_passed_verification_stops_the_old_color_and_prunes()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        await _deploy.DeployAsync(host, FixtureArtifacts.Build());
        var next = FixtureArtifacts.Build();
        var deployed = await _deploy.DeployAsync(host, next, retireOldColor: false);
        host.Pm2Apps().Should().HaveCount(2);

        await FinishAsync(host, deployed);

        host.Pm2Apps().Should().ContainSingle().Which.Should().Be(($"{host.Settings.AppName}-green", "online"));
        (await host.ServedCommitEventuallyAsync(next.Commit)).Should().Be(next.Commit);
        host.LockHeld.Should().BeFalse();
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task PM2_gets_only_the_apps_own_environment_and_its_dump_is_owner_only(bool overSsh)
    {
        var host = DeployEnvironment.NewHost(overSsh ? DeployEnvironment.Ssh : null);
        const string shellSecret = "PROD_DATABASE_URL";
        const string shellSecretValue = "postgresql://prod:shell-secret-77c2@db.example/postgres";
        Environment.SetEnvironmentVariable(shellSecret, shellSecretValue);
        try
        {
            Directory.CreateDirectory(host.Layout.Shared);
            File.WriteAllText(Path.Combine(host.Layout.Shared, ".env"), "APP_OWN_SETTING=own-value\n");
            await _deploy.DeployAsync(host, FixtureArtifacts.Build());
            await _deploy.DeployAsync(host, FixtureArtifacts.Build());
        }
        finally
        {
            Environment.SetEnvironmentVariable(shellSecret, null);
        }

        var dump = Path.Combine(host.Settings.Pm2Home!, "dump.pm2");
        File.Exists(dump).Should().BeTrue();
        File.GetUnixFileMode(dump).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var dumpText = File.ReadAllText(dump);
        dumpText.Should().Contain("APP_OWN_SETTING", "the app's own environment is what PM2 keeps");
        foreach (
            var foreign in new[]
            {
                shellSecret,
                shellSecretValue,
                SshServer.SessionSecretName,
                SshServer.SessionSecretValue,
                "SSH_CONNECTION",
            }
        )
            dumpText.Should().NotContain(foreign);

        // What the worker is given (PM2 hands it over as pm2_env), and what its process was started with.
        var appEnv = Pm2AppEnvironment(host);
        appEnv.Should().Contain(["APP_OWN_SETTING", "PORT", "NODE_ENV", "RELEASE_COMMIT"]);
        appEnv.Should().NotContain([shellSecret, SshServer.SessionSecretName, "SSH_CONNECTION", "SSH_CLIENT"]);
        var environ = File.ReadAllText($"/proc/{Pm2Pids(host).Single()}/environ");
        foreach (var foreign in new[] { shellSecret, SshServer.SessionSecretName, "SSH_CONNECTION" })
            environ.Should().NotContain(foreign);
    }

    private static IReadOnlySet<string> Pm2AppEnvironment(TestHost host)
    {
        var json = Processes.Run(
            host.Settings.Pm2Command,
            ["jlist"],
            new Dictionary<string, string> { ["PM2_HOME"] = host.Settings.Pm2Home! }
        );
        using var doc = JsonDocument.Parse(json[json.IndexOf('[')..]);
        return doc
            .RootElement.EnumerateArray()
            .Single()
            .GetProperty("pm2_env")
            .GetProperty("env")
            .EnumerateObject()
            .Select(p => p.Name)
            .ToHashSet();
    }

    private static IReadOnlyList<int> Pm2Pids(TestHost host)
    {
        var json = Processes.Run(
            host.Settings.Pm2Command,
            ["jlist"],
            new Dictionary<string, string> { ["PM2_HOME"] = host.Settings.Pm2Home! }
        );
        using var doc = JsonDocument.Parse(json[json.IndexOf('[')..]);
        return doc.RootElement.EnumerateArray().Select(a => a.GetProperty("pid").GetInt32()).ToList();
    }
}
