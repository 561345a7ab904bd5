using Build.Tests.Infrastructure;

namespace Build.Tests.Health;

/// <summary>The HealthCheck target as a user runs it: exit code and what it prints.</summary>
[TestFixture]
public sealed class HealthCheckTargetTests
{
    [SetUp]
    public void SetUp() => Require.Tool("node");

    private static Task<SuiteRun.Result> Run(params string[] args) =>
        SuiteRun.RunAsync(null, ["--target=HealthCheck", "--env=local", .. args]);

    [Test]
    public async Task Passes_when_the_release_serves_the_expected_commit()
    {
        var run = await Run($"--url={HealthServer.App("/api/health")}", $"--commit={HealthServer.Commit[..7]}");

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().Contain($"{HealthServer.App("/api/health")}: healthy after 1 attempt(s), commit 9f8e7d6");
    }

    [Test]
    public async Task Fails_the_run_naming_both_commits_when_an_older_release_answers()
    {
        var run = await Run(
            $"--url={HealthServer.App("/api/health")}",
            "--commit=abc1234def567890abc1234def567890abc12345",
            "--timeout=3" // a failing check lasts until its deadline: long enough for one answer on a loaded machine
        );

        run.ExitCode.Should().NotBe(0);
        run.All.Should()
            .Contain("Health check of local failed")
            .And.Contain("wrong commit: expected abc1234, got 9f8e7d6");
    }

    [Test]
    public async Task Refuses_a_timeout_that_is_not_a_number_of_seconds()
    {
        var run = await Run($"--url={HealthServer.App("/api/health")}", "--timeout=soon");

        run.ExitCode.Should().NotBe(0);
        run.All.Should().Contain("--timeout='soon' is not a number of seconds");
    }
}
