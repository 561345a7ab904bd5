using System.Text.Json;
using Build.Tests.Infrastructure;

namespace Build.Tests.Packaging;

/// <summary>The PackageApp target as a user runs it, with project.app from a configuration file.</summary>
[TestFixture]
public sealed class PackageAppTargetTests
{
    private NextStandaloneFixture _app = null!;
    private string _config = null!;

    [SetUp]
    public void SetUp()
    {
        _app = new NextStandaloneFixture();
        _config = Path.Combine(Path.GetTempPath(), $"package-app-{Guid.NewGuid():N}.json");
    }

    [TearDown]
    public void TearDown()
    {
        _app.Dispose();
        File.Delete(_config);
    }

    private void WriteConfig(string buildCommand)
    {
        var config = new
        {
            project = new
            {
                name = "fixture-app",
                app = new
                {
                    path = _app.Root,
                    buildCommand,
                    pack = new Dictionary<string, string>
                    {
                        [".next/standalone"] = ".",
                        [".next/static"] = ".next/static",
                        ["public"] = "public",
                    },
                },
            },
            environments = new { local = new { description = "test", secretPrefix = "LOCAL" } },
        };
        File.WriteAllText(_config, JsonSerializer.Serialize(config));
    }

    private Task<SuiteRun.Result> Run(params string[] args) =>
        SuiteRun.RunAsync(
            null,
            [$"--config={_config}", "--target=PackageApp", "--env=local", $"--output={_app.OutputDirectory}", .. args]
        );

    [Test]
    public async Task Builds_with_the_configured_command_and_writes_the_artifact_and_its_checksum()
    {
        WriteConfig(
            "mkdir -p .next/standalone .next/static && echo 'built' > .next/standalone/server.js && echo \"built at " +
            "$NEXT_PUBLIC_COMMIT_SHA\""
        );

        var run = await Run();

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().Contain($"built at {_app.Commit}");
        var artifact = Path.Combine(_app.OutputDirectory, $"fixture-app-local-{_app.Commit[..7]}.tar.gz");
        File.Exists(artifact).Should().BeTrue(run.All);
        File.Exists(artifact + ".sha256").Should().BeTrue();
    }

    [Test]
    public async Task Fails_the_run_naming_the_missing_static_folder()
    {
        WriteConfig("mkdir -p .next/standalone && echo 'built' > .next/standalone/server.js");

        var run = await Run();

        run.ExitCode.Should().NotBe(0);
        run.All.Should()
            .Contain(
                "Pack path '.next/static' (project.app.pack, => '.next/static') does not exist: " +
                $"{_app.Root}/.next/static"
            );
        Directory.Exists(_app.OutputDirectory).Should().BeFalse();
    }
}
