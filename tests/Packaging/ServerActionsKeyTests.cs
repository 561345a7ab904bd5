using System.Text.Json.Nodes;
using Build.Tests.Infrastructure;

namespace Build.Tests.Packaging;

/// <summary>PackageApp hands NEXT_SERVER_ACTIONS_ENCRYPTION_KEY to the build (Next.js bakes it in), masked in all
/// output, and warns when a real build runs without it.</summary>
public class ServerActionsKeyTests
{
    private string _root = null!;
    private string _config = null!;

    [SetUp]
    public void MakeApp()
    {
        _root = Directory.CreateTempSubdirectory("server-actions-").FullName;
        var app = Path.Combine(_root, "app");
        Directory.CreateDirectory(app);
        _config = TestConfiguration.Write(
            _root,
            json =>
                json["environments"]!["local"]!["app"] = new JsonObject
                {
                    ["path"] = app,
                    // The "build" records the key it was given, and echoes it (which the suite must mask).
                    ["buildCommand"] =
                        "mkdir -p out && printf '%s' \"$NEXT_SERVER_ACTIONS_ENCRYPTION_KEY\" > out/built-key.txt && " +
                        "echo \"key: $NEXT_SERVER_ACTIONS_ENCRYPTION_KEY\"",
                    ["pack"] = new JsonObject { ["out"] = "." },
                    ["entry"] = "built-key.txt",
                }
        );
    }

    [TearDown]
    public void Remove() => Directory.Delete(_root, recursive: true);

    private Task<SuiteRun.Result> Package(Dictionary<string, string>? variables) =>
        SuiteRun.RunAsync(
            variables,
            "--target=PackageApp",
            $"--config={_config}",
            $"--commit={new string('d', 40)}",
            $"--output={Path.Combine(_root, "artifacts")}"
        );

    [Test]
    public async Task The_build_gets_the_key_and_the_output_never_shows_it()
    {
        var key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var run = await Package(new Dictionary<string, string> { ["NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"] = key });
        run.ExitCode.Should().Be(0, run.All);
        File.ReadAllText(Path.Combine(_root, "app", "out", "built-key.txt")).Should().Be(key);
        run.All.Should().Contain("key: ***").And.NotContain(key);
    }

    [Test]
    public async Task A_build_without_the_key_is_warned_about()
    {
        var run = await Package(null);
        run.ExitCode.Should().Be(0, run.All);
        run.All.Should().Contain("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY is not set");
    }

    [Test]
    public async Task Validate_refuses_a_key_that_is_not_an_aes_key_in_base64()
    {
        var run = await SuiteRun.RunAsync(
            new Dictionary<string, string> { ["NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"] = "c2hvcnQ=" },
            "--target=ValidateEnvironment"
        );
        run.ExitCode.Should().Be(1);
        run.All.Should()
            .Contain("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: is not a base64-encoded AES key of 16, 24 or 32 bytes");
    }
}
