using Build.Deploy;
using Build.Packaging;

namespace Build.Tests.Deploy;

/// <summary>Deploys over a real sshd to real PM2 and Nginx on 127.0.0.1 and checks what Nginx serves.</summary>
[TestFixture]
[NonParallelizable]
public sealed class DeployEndToEndTests
{
    private readonly List<string> _progress = [];

    private void Progress(string line)
    {
        lock (_progress) _progress.Add(line);
        TestContext.Out.WriteLine(line);
    }

    private async Task<DeployResult> DeployAsync(TestHost host, ReleaseArtifact artifact, IRemoteHost? remote = null)
    {
        await using var connection = remote ?? host.Connect();
        return await new DeployService([host.Target(connection)], Progress, "tester@deploy-tests").DeployAsync(artifact);
    }

    private async Task RollbackAsync(TestHost host, string? to = null)
    {
        await using var connection = host.Connect();
        await new RollbackService([host.Target(connection)], Progress, "tester@deploy-tests").RollbackAsync(to);
    }

    [Test]
    public async Task A_deploy_makes_nginx_serve_the_new_commit_from_a_release_folder()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var artifact = FixtureArtifacts.Build();

        var result = await DeployAsync(host, artifact);

        (await host.ServedCommitEventuallyAsync(artifact.Commit)).Should().Be(artifact.Commit);
        result.Hosts.Should().ContainSingle().Which.PreviousRelease.Should().BeNull();
        host.CurrentRelease.Should().Be(result.Release).And.MatchRegex($"^[0-9]{{14}}-{artifact.ShortCommit}$");
        File.ReadAllText(host.Layout.RevisionsLog).Should().Contain($"deploy {result.Release} {artifact.Commit} tester@deploy-tests");
        host.LockHeld.Should().BeFalse("the lock is released when the deploy ends");
        var release = host.Layout.Release(result.Release);
        new FileInfo(Path.Combine(release, ".env")).LinkTarget.Should().Be(Path.Combine(host.Layout.Shared, ".env"));
        new DirectoryInfo(Path.Combine(release, "uploads")).LinkTarget.Should().Be(Path.Combine(host.Layout.Shared, "uploads"));
        File.ReadAllText(Path.Combine(host.Layout.Shared, ".env")).Should().MatchRegex("(?m)^NEXT_SERVER_ACTIONS_ENCRYPTION_KEY=[A-Za-z0-9+/=]{40,}$");
        Directory.GetFiles(host.Layout.Uploads).Should().BeEmpty("the upload is removed once unpacked");
        host.Pm2Apps().Should().ContainSingle().Which.Status.Should().Be("online");
    }
}
