using Build.Tests.Infrastructure;

namespace Build.Tests.Gates;

/// <summary>--exclusive on a target with no work of its own would run nothing and report success: refused.</summary>
public class ExclusiveTests
{
    [TestCase("DeployProduction", "DeployVps")]
    [TestCase("Deploy", "ApplyMigrations")]
    [TestCase("Validate", "CheckMigrations")]
    public async Task An_umbrella_with_exclusive_is_refused_naming_its_dependencies(string target, string dependency)
    {
        var run = await SuiteRun.RunAsync(null, $"--target={target}", "--exclusive");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain($"{target} has no work of its own").And.Contain(dependency);
        run.All.Should().NotContain("succeeded").And.NotContain("Notified");
    }

    [Test]
    public async Task A_target_with_work_of_its_own_still_runs_exclusive()
    {
        var run = await SuiteRun.RunAsync(null, "--target=LintMigrations", "--env=local", "--exclusive");
        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().MatchRegex(@"LintMigrations\s+\S+\s+Succeeded");
    }
}
