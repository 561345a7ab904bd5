using Build.Deploy;
using Build.Packaging;

namespace Build.Tests.Deploy;

/// <summary>Deploys over a real sshd to real PM2 and Nginx on 127.0.0.1 and checks what Nginx serves.</summary>
[TestFixture]
[NonParallelizable]
public sealed class DeployEndToEndTests
{
    private readonly DeployRunner _deploy = new("tester@deploy-tests");

    private static string NewLogText(string file, long from)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(from, SeekOrigin.Begin);
        return new StreamReader(stream).ReadToEnd();
    }

    [Test]
    public async Task A_deploy_makes_nginx_serve_the_new_commit_from_a_release_folder()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var artifact = FixtureArtifacts.Build();

        var result = await _deploy.DeployAsync(host, artifact);

        (await host.ServedCommitEventuallyAsync(artifact.Commit)).Should().Be(artifact.Commit);
        result.Hosts.Should().ContainSingle().Which.PreviousRelease.Should().BeNull();
        host.CurrentRelease.Should().Be(result.Release).And.MatchRegex($"^[0-9]{{14}}-{artifact.ShortCommit}$");
        File.ReadAllText(host.Layout.RevisionsLog)
            .Should()
            .Contain($"deploy {result.Release} {artifact.Commit} tester@deploy-tests");
        host.LockHeld.Should().BeFalse("the lock is released when the deploy ends");
        var release = host.Layout.Release(result.Release);
        new FileInfo(Path.Combine(release, ".env")).LinkTarget.Should().Be(Path.Combine(host.Layout.Shared, ".env"));
        new DirectoryInfo(Path.Combine(release, "uploads"))
            .LinkTarget.Should()
            .Be(Path.Combine(host.Layout.Shared, "uploads"));
        File.ReadAllText(Path.Combine(host.Layout.Shared, ".env"))
            .Should()
            .MatchRegex("(?m)^NEXT_SERVER_ACTIONS_ENCRYPTION_KEY=[A-Za-z0-9+/=]{40,}$");
        Directory.GetFiles(host.Layout.Uploads).Should().BeEmpty("the upload is removed once unpacked");
        host.Pm2Apps().Should().ContainSingle().Which.Status.Should().Be("online");
    }

    [Test]
    public async Task A_second_deploy_switches_current_and_nginx_and_keeps_the_old_release()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var first = FixtureArtifacts.Build();
        var second = FixtureArtifacts.Build();

        var firstResult = await _deploy.DeployAsync(host, first);
        var secondResult = await _deploy.DeployAsync(host, second);

        (await host.ServedCommitEventuallyAsync(second.Commit)).Should().Be(second.Commit);
        secondResult.Hosts.Single().PreviousRelease.Should().Be(firstResult.Release);
        host.CurrentRelease.Should().Be(secondResult.Release);
        host.Releases.Should().Equal(firstResult.Release, secondResult.Release);
        host.Pm2Apps().Should().ContainSingle("the old color is stopped once Nginx points at the new one")
            .Which.Should().Be(($"{host.Settings.AppName}-green", "online"));
        File.ReadAllText(host.Nginx.UpstreamFile).Should().Contain($"server 127.0.0.1:{host.Settings.GreenPort};");
    }

    [Test]
    public async Task Rollback_serves_the_previous_commit_again_and_refuses_when_there_is_none()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var first = FixtureArtifacts.Build();
        var second = FixtureArtifacts.Build();
        var firstResult = await _deploy.DeployAsync(host, first);

        var refused = async () => await _deploy.RollbackAsync(host);
        (await refused.Should().ThrowAsync<RollbackRefusedException>()).WithMessage("*no release older than*");
        host.LockHeld.Should().BeFalse();

        var secondResult = await _deploy.DeployAsync(host, second);
        await _deploy.RollbackAsync(host);

        (await host.ServedCommitEventuallyAsync(first.Commit)).Should().Be(first.Commit);
        host.CurrentRelease.Should().Be(firstResult.Release);
        host.Releases.Should().Contain(secondResult.Release, "a rollback deletes nothing");
        File.ReadLines(host.Layout.RevisionsLog)
            .Last()
            .Should()
            .Contain($"rollback {firstResult.Release} {first.Commit}");

        await _deploy.RollbackAsync(host, to: secondResult.Release);
        (await host.ServedCommitEventuallyAsync(second.Commit))
            .Should()
            .Be(second.Commit, "--to goes to a named release, also a newer one");
    }

    [Test]
    public async Task A_release_failing_its_health_check_never_takes_traffic_and_is_kept_for_inspection()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var good = FixtureArtifacts.Build();
        var broken = FixtureArtifacts.Build(unhealthy: true);
        var goodResult = await _deploy.DeployAsync(host, good);

        var deploy = async () => await _deploy.DeployAsync(host, broken);

        var failure = (await deploy.Should().ThrowAsync<DeployFailedException>()).Which;
        failure.Failure.Phase.Should().Be("release");
        failure.Failure.Step.Should().Be("start");
        failure.Message.Should().Contain("127.0.0.1:").And.Contain("health check").And.Contain("HTTP 503");
        (await host.ServedCommitAsync()).Should().Be(good.Commit, "the old release never stopped serving");
        host.CurrentRelease.Should().Be(goodResult.Release);
        var failed = host.ReleaseOf(broken);
        File.ReadAllText(Path.Combine(host.Layout.Release(failed), ReleaseLayout.FailedMarker))
            .Should()
            .Contain("HTTP 503");
        File.ReadLines(host.Layout.RevisionsLog).Last().Should().Contain($"failed {failed} {broken.Commit}");
        host.LockHeld.Should().BeFalse();
        host.Pm2Apps()
            .Should()
            .ContainSingle()
            .Which.Name.Should()
            .Be($"{host.Settings.AppName}-blue", "the failed candidate is removed from PM2");
    }

    [Test]
    public async Task A_host_key_that_does_not_match_the_pin_is_refused_before_anything_runs()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var artifact = FixtureArtifacts.Build();
        var wrongPin =
            "SHA256:"
            + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=');

        var logBefore = new FileInfo(host.Ssh!.LogFile).Length;

        var deploy = async () => await _deploy.DeployAsync(host, artifact, host.Connect(wrongPin));

        (await deploy.Should().ThrowAsync<DeployFailedException>()).Which.Message
            .Should().Contain("host key mismatch").And.Contain(host.Ssh!.Fingerprint).And.Contain(wrongPin);
        Directory.Exists(host.Settings.BasePath).Should().BeFalse("no script ran on the host");
        NewLogText(host.Ssh.LogFile, logBefore)
            .Should()
            .NotContain("Accepted publickey", "the client stops at the host key, before authenticating");
        var noPin = () =>
            new SshRemoteHost("127.0.0.1", host.Ssh.Port, "root", host.Ssh.ClientKey, pinnedFingerprint: null);
        noPin.Should().Throw<RemoteHostException>().WithMessage("*no pinned host key*");
    }

    [Test]
    public async Task A_connection_cut_during_the_upload_leaves_nothing_half_deployed_and_no_lock()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var first = FixtureArtifacts.Build();
        var second = FixtureArtifacts.Build(paddingBytes: 8 << 20);
        var firstResult = await _deploy.DeployAsync(host, first);
        var cutting = new CutDuringUpload(host.Connect(), atBytes: 1 << 20, cut: () => host.Ssh!.KillSessions());

        var deploy = async () => await _deploy.DeployAsync(host, second, cutting);

        var failure = (await deploy.Should().ThrowAsync<DeployFailedException>()).Which.Failure;
        failure.Phase.Should().Be("release");
        failure.Step.Should().Be("receive", "the artifact is streamed into the release phase");
        cutting.Cut.Should().BeTrue();
        host.CurrentRelease.Should().Be(firstResult.Release);
        host.Releases.Should().Equal(firstResult.Release);
        host.LockHeld.Should().BeFalse("the lock is released over a new connection");
        (await host.ServedCommitAsync()).Should().Be(first.Commit);

        var retry = await _deploy.DeployAsync(host, second);
        (await host.ServedCommitEventuallyAsync(second.Commit)).Should().Be(second.Commit);
        Directory
            .GetFileSystemEntries(host.Layout.Uploads)
            .Should()
            .BeEmpty("the partial upload of the cut deploy is gone");
        host.CurrentRelease.Should().Be(retry.Release);
    }
}
