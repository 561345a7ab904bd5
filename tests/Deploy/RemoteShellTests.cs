using Build.Deploy;
using Build.Deploy.Steps;

namespace Build.Tests.Deploy;

/// <summary>
/// The one-shell protocol (<see cref="IRemoteShell"/>) over both transports, local bash and the loopback sshd: scripts
/// run in turn in one shell, streamed input reaches the script's fd 3 and is never read as commands even when the
/// script ignores it, and the streamed receive of a release checks its checksum before anything is kept.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RemoteShellTests
{
    private static IRemoteHost Transport(string kind) =>
        kind == "ssh"
            ? new SshRemoteHost(
                "127.0.0.1",
                DeployEnvironment.Ssh.Port,
                "root",
                DeployEnvironment.Ssh.ClientKey,
                DeployEnvironment.Ssh.Fingerprint
            )
            : new LocalHost();

    [TestCase("local")]
    [TestCase("ssh")]
    public async Task Scripts_run_in_turn_in_one_shell_and_unread_input_is_drained_not_run(string kind)
    {
        await using var host = Transport(kind);
        await using var shell = await host.OpenShellAsync(CancellationToken.None);
        var marker = Path.Combine(DeployEnvironment.TempRoot, $"must-not-exist-{Guid.NewGuid():N}");
        // Input that would be a command if the shell ever read it as one.
        var input = Path.Combine(DeployEnvironment.TempRoot, $"input-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(input, string.Concat(Enumerable.Repeat($"touch {Shell.Quote(marker)}\n", 20000)));

        var first = await shell.RunAsync("echo one; echo err >&2; exit 3", null, null, CancellationToken.None);
        var ignoring = await shell.RunAsync(
            "echo ignored the input",
            new ScriptInput(input),
            null,
            CancellationToken.None
        );
        var reading = await shell.RunAsync("head -c 5 <&3; echo", new ScriptInput(input), null, CancellationToken.None);
        var last = await shell.RunAsync("echo still here; echo \"$BASHPID\"", null, null, CancellationToken.None);

        first.ExitCode.Should().Be(3, "a script's exit ends its subshell, not the shell");
        first.Output.Should().Contain("one");
        first.Error.Should().Contain("err");
        ignoring.ExitCode.Should().Be(0);
        reading.Output.Should().Contain("touch");
        last.ExitCode.Should().Be(0);
        last.Output.Should().Contain("still here");
        File.Exists(marker).Should().BeFalse("streamed bytes a script did not read are drained, never run");
        shell.HasEnded.Should().BeFalse();
    }

    [TestCase("local")]
    [TestCase("ssh")]
    public async Task A_streamed_release_is_unpacked_as_it_arrives_and_nothing_is_kept_when_its_checksum_differs(
        string kind
    )
    {
        var artifact = FixtureArtifacts.Build();
        var layout = new ReleaseLayout(Path.Combine(DeployEnvironment.TempRoot, $"receive-{Guid.NewGuid():N}"));
        var settings = new DeploySettings { BasePath = layout.BasePath, AppName = "muva-chat" };
        Directory.CreateDirectory(layout.Releases);
        const string release = "20260101000000-0123456";
        IRemoteStep[] Steps(string sha256) => [
            new ReleaseLockOnFailure(layout, "token"),
            new ReceiveRelease(layout, artifact.FileName, release, sha256),
            new UnpackRelease(layout, release, artifact.Commit, "server.js")];
        await using var host = Transport(kind);
        await using var shell = await host.OpenShellAsync(CancellationToken.None);

        var altered = await shell.RunAsync(
            RemoteScript.Render(settings, Steps(new string('0', 64))),
            new ScriptInput(artifact.Path),
            null,
            CancellationToken.None
        );

        altered.ExitCode.Should().NotBe(0);
        altered
            .Error.Should()
            .Contain(
                $"checksum of the received {artifact.FileName} is {artifact.Sha256}, expected {new string('0', 64)}"
            );
        Directory
            .GetFileSystemEntries(layout.Releases)
            .Should()
            .BeEmpty("neither the release nor its temp folder or hash is kept");

        var sent = new List<long>();
        var good = await shell.RunAsync(
            RemoteScript.Render(settings, Steps(artifact.Sha256)),
            new ScriptInput(artifact.Path, (s, _) => sent.Add(s)),
            null,
            CancellationToken.None
        );

        good.ExitCode.Should().Be(0, good.Error);
        File.ReadAllText(Path.Combine(layout.Release(release), "manifest.json")).Should().Contain(artifact.Commit);
        Directory.GetFileSystemEntries(layout.Releases).Select(Path.GetFileName).Should().Equal(release);
        sent.Should().NotBeEmpty().And.EndWith(new FileInfo(artifact.Path).Length);
    }
}
