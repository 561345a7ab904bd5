using Build.Tests.Infrastructure;

namespace Build.Tests.Deploy;

/// <summary>--artifact= as a target argument: a path that names no file is refused, naming the path as resolved,
/// before any host or lock is touched. (Shipping the given artifact is DeployRecoveryRecipesTests' DeployVps
/// --break-lock --artifact= recipe; another project's artifact, PerEnvironmentBuildTests.)</summary>
public class ArtifactArgumentTests
{
    [Test]
    public async Task DeployVps_refuses_a_missing_artifact_naming_it_before_touching_a_host()
    {
        var folder = Directory.CreateTempSubdirectory("artifact-arg-").FullName;
        try
        {
            var config = TestConfiguration.Write(folder, json =>
            {
                json["environments"]!["local"]!["vps"]!["basePath"] = Path.Combine(folder, "www");
                json["environments"]!["local"]!["vps"]!["pm2Home"] = Path.Combine(folder, "pm2");
            });
            var missing = Path.Combine(folder, "muva-chat-local-abc1234.tar.gz");

            var run = await SuiteRun.RunAsync(
                null,
                "--target=DeployVps",
                "--env=local",
                $"--artifact={missing}",
                $"--config={config}"
            );

            run.ExitCode.Should().NotBe(0);
            run.All.Should().Contain($"Artifact {missing} does not exist.");
            Directory
                .Exists(Path.Combine(folder, "www"))
                .Should()
                .BeFalse("nothing reached the host: no release folder, no lock");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
