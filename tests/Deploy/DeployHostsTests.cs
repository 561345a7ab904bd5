using Build.Deploy;
using Build.Packaging;

namespace Build.Tests.Deploy;

/// <summary>Several hosts, concurrent deploys, the local transport and the reload strategy, on real
/// processes.</summary>
[TestFixture]
[NonParallelizable]
public sealed class DeployHostsTests
{
    private const string Who = "tester@deploy-tests";

    private static void Progress(string line) => TestContext.Out.WriteLine(line);

    private static async Task<DeployResult> DeployAsync(
        IReadOnlyList<DeployHost> targets,
        ReleaseArtifact artifact,
        Action<string>? watch = null
    )
    {
        try
        {
            return await new DeployService(
                targets,
                line =>
                {
                    Progress(line);
                    watch?.Invoke(line);
                },
                Who
            ).DeployAsync(artifact);
        }
        finally
        {
            foreach (var t in targets) await t.Host.DisposeAsync();
        }
    }

    private static async Task Eventually(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            await Task.Delay(50);
        }
    }

    [Test]
    public async Task When_the_second_host_fails_the_first_one_is_rolled_back_to_its_previous_release()
    {
        var first = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var second = DeployEnvironment.NewHost(DeployEnvironment.SecondSsh);
        var good = FixtureArtifacts.Build();
        var next = FixtureArtifacts.Build();
        var goodResult = await DeployAsync([first.AsDeployHost(), second.AsDeployHost()], good);
        // The second machine's configuration breaks the new release there only.
        File.AppendAllText(Path.Combine(second.Layout.Shared, ".env"), "APP_UNHEALTHY=1\n");

        var deploy = async () => await DeployAsync([first.AsDeployHost(), second.AsDeployHost()], next);

        var failure = (await deploy.Should().ThrowAsync<DeployFailedException>()).Which;
        failure.Failure.Host.Should().Be(second.AsDeployHost().Name);
        failure
            .RolledBack.Should()
            .ContainSingle()
            .Which.Should()
            .Be(new HostRelease(first.AsDeployHost().Name, goodResult.Release, first.ReleaseOf(next)));
        failure.Message.Should().Contain($"Rolled back: {first.AsDeployHost().Name} to {goodResult.Release}");
        (await first.ServedCommitEventuallyAsync(good.Commit)).Should().Be(good.Commit);
        (await second.ServedCommitAsync()).Should().Be(good.Commit);
        first.CurrentRelease.Should().Be(goodResult.Release);
        second.CurrentRelease.Should().Be(goodResult.Release);
        first.Releases.Should().Contain(first.ReleaseOf(next), "the rolled-back release stays on disk");
        first.LockHeld.Should().BeFalse();
        second.LockHeld.Should().BeFalse();
    }

    [Test]
    public async Task Of_two_deploys_at_once_one_holds_the_lock_and_the_other_waits_or_fails_naming_it()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var a = FixtureArtifacts.Build();
        var b = FixtureArtifacts.Build();
        var c = FixtureArtifacts.Build();
        var paused = new PauseBeforeUpload(host.Connect());
        var deployA = DeployAsync([host.AsDeployHost(paused)], a);
        await paused.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // B gives up after 1 s and names A's deploy as the holder.
        var impatient = host.Settings with { LockWaitSeconds = 1 };
        var deployB = async () => await DeployAsync([new DeployHost(host.Connect(), impatient)], b);
        var refused = (await deployB.Should().ThrowAsync<DeployFailedException>()).Which;
        refused.Failure.LockHeld.Should().BeTrue();
        refused.Message.Should().Contain(".deploy-lock is held by").And.Contain($"commit={a.Commit}").And.Contain(Who);

        // C waits for A's lock and deploys after it.
        var cWaits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deployC = DeployAsync(
            [host.AsDeployHost()],
            c,
            line =>
            {
                if (line.Contains("waiting for the deploy lock"))
                    cWaits.TrySetResult();
            }
        );
        await cWaits.Task.WaitAsync(TimeSpan.FromSeconds(60));
        deployC.IsCompleted.Should().BeFalse("C waits while A holds the lock");
        paused.Gate.SetResult();
        var resultA = await deployA;
        var resultC = await deployC;

        (await host.ServedCommitEventuallyAsync(c.Commit)).Should().Be(c.Commit);
        var deploys = File.ReadLines(host.Layout.RevisionsLog).Where(l => l.Contains(" deploy ")).ToList();
        deploys.Should().HaveCount(2);
        deploys[0].Should().Contain(resultA.Release);
        deploys[1].Should().Contain(resultC.Release);
        host.Releases.Should().NotContain(r => r.EndsWith(b.ShortCommit), "B never got past the lock");
        host.LockHeld.Should().BeFalse();
    }

    [Test]
    public async Task A_deploy_whose_client_vanished_while_waiting_for_the_lock_never_takes_it()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var a = FixtureArtifacts.Build();
        var b = FixtureArtifacts.Build();
        var c = FixtureArtifacts.Build();
        var paused = new PauseBeforeUpload(host.Connect());
        var deployA = DeployAsync([host.AsDeployHost(paused)], a);
        await paused.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // B waits for A's lock; then its connection dies the way a cancelled CI job's does: the session ends and no
        // signal reaches B's script on the host (the sshd session processes are killed; A reconnects for its next
        // step).
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // B would wait far longer than this test: only its liveness writes can end its orphaned script early.
        var deployB = Task.Run(() =>
            DeployAsync(
                [new DeployHost(host.Connect(), host.Settings with { LockWaitSeconds = 600 })],
                b,
                line =>
                {
                    if (line.Contains("waiting for the deploy lock"))
                        waiting.TrySetResult();
                }
            )
        );
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // B's script on the host (A is paused between phases: no script of A's runs now).
        var orphans = Processes.DescendantsOf(host.Ssh!.Pid).Where(pid => Processes.NameOf(pid) == "bash").ToList();
        orphans.Should().NotBeEmpty("B's lock wait runs in bash under sshd");
        host.Ssh!.KillSessions();
        // Its liveness writes meet the closed connection: the orphan exits while A still holds the lock, instead of
        // polling on and taking the lock once A is done.
        await Eventually(
            () => orphans.All(pid => !Processes.IsRunning(pid)),
            TimeSpan.FromSeconds(20),
            "B's orphaned lock wait to exit"
        );
        var vanished = async () => await deployB.WaitAsync(TimeSpan.FromSeconds(60));
        (await vanished.Should().ThrowAsync<DeployFailedException>()).Which.Failure.Phase.Should().Be("lock");
        paused.Gate.SetResult();
        await deployA.WaitAsync(TimeSpan.FromSeconds(60));

        // C waits at most 10 s: a lock left behind by B's orphaned script would make it fail naming B.
        var deployC = await DeployAsync(
            [new DeployHost(host.Connect(), host.Settings with { LockWaitSeconds = 10 })],
            c
        );

        (await host.ServedCommitEventuallyAsync(c.Commit)).Should().Be(c.Commit);
        deployC.Release.Should().EndWith(c.ShortCommit);
        host.Releases.Should().NotContain(r => r.EndsWith(b.ShortCommit));
        File.ReadAllText(host.Layout.RevisionsLog).Should().NotContain(b.Commit);
        host.LockHeld.Should().BeFalse(host.LockHeld ? File.ReadAllText(host.Layout.LockInfo) : "");
    }

    [Test]
    public async Task A_failed_nginx_reload_puts_the_old_upstream_back_and_leaves_current_alone()
    {
        var host = DeployEnvironment.NewHost(ssh: null);
        var first = FixtureArtifacts.Build();
        var second = FixtureArtifacts.Build();
        var firstResult = await DeployAsync([host.AsDeployHost()], first);
        var upstreamBefore = File.ReadAllText(host.Nginx.UpstreamFile);
        // What an invalid Nginx configuration (or a missing sudoers line) does: the reload command fails.
        host.Settings = host.Settings with
        {
            NginxReloadCommand =
                $"{host.Settings.NginxReloadCommand} && echo 'nginx: [emerg] unexpected end of file' >&2 && false",
        };

        var deploy = async () => await DeployAsync([host.AsDeployHost()], second);

        var failure = (await deploy.Should().ThrowAsync<DeployFailedException>()).Which;
        failure.Failure.Phase.Should().Be("release");
        failure.Failure.Step.Should().Be("nginx");
        failure.Message.Should().Contain("nginx reload failed").And.Contain("[emerg]").And.NotContain("Rolled back");
        File.ReadAllText(host.Nginx.UpstreamFile)
            .Should()
            .Be(upstreamBefore)
            .And.Contain($"127.0.0.1:{host.Settings.BluePort};");
        host.CurrentRelease.Should().Be(firstResult.Release);
        (await host.ServedCommitAsync()).Should().Be(first.Commit);
        host.Pm2Apps().Select(a => a.Name).Should().Equal($"{host.Settings.AppName}-blue");
        host.LockHeld.Should().BeFalse();
    }

    [Test]
    public async Task The_local_transport_with_the_reload_strategy_runs_the_new_code_after_a_pm2_reload()
    {
        // No sshd: LocalHost runs the same scripts with bash here (what --env=local does).
        var host = DeployEnvironment.NewHost(ssh: null);
        host.Settings = host.Settings with { Strategy = DeployStrategy.Reload };
        var first = FixtureArtifacts.Build();
        var second = FixtureArtifacts.Build();
        var broken = FixtureArtifacts.Build(unhealthy: true);

        await DeployAsync([host.AsDeployHost()], first);
        var secondResult = await DeployAsync([host.AsDeployHost()], second);

        (await host.ServedCommitEventuallyAsync(second.Commit)).Should().Be(second.Commit,
            "PM2's cwd is the current symlink, so reloaded workers load the new release");
        host.Pm2Apps().Should().ContainSingle().Which.Should().Be((host.Settings.AppName, "online"));

        var deployBroken = async () => await DeployAsync([host.AsDeployHost()], broken);
        (await deployBroken.Should().ThrowAsync<DeployFailedException>())
            .Which.Message.Should()
            .Contain("health check");
        host.CurrentRelease.Should()
            .Be(secondResult.Release, "current goes back when the reloaded release is unhealthy");
        (await host.ServedCommitEventuallyAsync(second.Commit)).Should().Be(second.Commit);
    }
}
