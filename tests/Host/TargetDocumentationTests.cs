using System.Text.RegularExpressions;
using Build.Host;
using Build.Tests.Infrastructure;

namespace Build.Tests.Host;

/// <summary>Every target a user can call is described, shown by --tree/--description, and documented with a
/// command.</summary>
public class TargetDocumentationTests
{
    private static readonly TaskCatalog Catalog = TaskCatalog.FromAssembly(typeof(Build.Program).Assembly);

    [Test]
    public void Every_target_has_a_command_in_docs_targets_md()
    {
        var docs = File.ReadAllText(Path.Combine(Require.RepositoryRoot, "docs/targets.md"));
        // Whole names: "--target=DeployStaging" does not document Deploy.
        var undocumented = Catalog
            .Names.Where(name => !Regex.IsMatch(docs, $@"--target={name}(?![A-Za-z0-9_])"))
            .ToList();
        undocumented.Should().BeEmpty("each target needs a working ./build.sh --target=NAME line in docs/targets.md");
    }

    [Test]
    public async Task Description_lists_every_target_of_the_suite()
    {
        var run = await SuiteRun.RunAsync(null, "--description");
        run.ExitCode.Should().Be(0, run.All);
        foreach (var task in Catalog.Tasks)
            run.Out.Should()
                .MatchRegex(
                    WholeName(task.Name),
                    "a target's name inside another's (Deploy in DeployStaging) is not the target"
                );
    }

    [Test]
    public async Task Tree_shows_every_target_of_the_suite()
    {
        var run = await SuiteRun.RunAsync(null, "--tree");
        run.ExitCode.Should().Be(0, run.All);
        foreach (var name in Catalog.Names)
            run.Out.Should()
                .MatchRegex(
                    WholeName(name),
                    "a target's name inside another's (Deploy in DeployStaging) is not the target"
                );
    }

    private static string WholeName(string name) => $@"(?<![A-Za-z0-9_]){name}(?![A-Za-z0-9_])";

    [Test]
    public async Task A_target_for_one_environment_refuses_another()
    {
        var run = await SuiteRun.RunAsync(null, "--target=DeployStaging", "--env=production");
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("DeployStaging is for 'staging', but --env=production was given");
    }

    [Test]
    public async Task A_dry_run_of_a_staging_deploy_lists_its_tasks_in_order_and_changes_nothing()
    {
        var run = await SuiteRun.RunAsync(null, "--target=DeployStaging", "--dryrun");
        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().Contain("Environment: staging");
        run.Out.Should().MatchRegex(@"Validate[\s\S]*DeployVps[\s\S]*VerifyDeploy[\s\S]*DeployStaging");
        run.Out.Should().Contain("No tasks were actually executed.");
        run.All.Should().NotContain("Notif", "a dry run tells no one anything");
    }

    [Test]
    public async Task Changing_production_from_a_shell_needs_the_environments_name_typed_and_nothing_runs_before()
    {
        var run = await SuiteRun.RunAsync(null, "--target=Rollback", "--env=production");
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("'production' requires approval").And.Contain("--confirm=production");
        run.Out.Should()
            .MatchRegex(@"ConfirmEnvironment\s+\S+\s+Failed")
            .And.NotMatchRegex(@"\n\s*Rollback\s+\S+\s+(Succeeded|Failed)");

        var confirmed = await SuiteRun.RunAsync(null, "--target=Rollback", "--env=production", "--confirm=production");
        confirmed.ExitCode.Should().Be(1);
        confirmed
            .Error.Should()
            .Contain("PROD_VPS_HOST or VPS_HOST", "past the confirmation, Rollback asks for its secrets before it runs")
            .And.Contain("Nothing was run");
    }

    [Test]
    public async Task Exclusive_cannot_skip_the_confirmation()
    {
        var run = await SuiteRun.RunAsync(null, "--target=DeployVps", "--env=production", "--exclusive");
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("'production' requires approval");
        run.Out.Should().NotMatchRegex(@"DeployVps\s+\S+\s+(Succeeded|Failed)");
    }

    [Test]
    public async Task Staging_needs_no_confirmation()
    {
        var staging = await SuiteRun.RunAsync(null, "--target=DeployStaging", "--dryrun");
        staging
            .Out.Should()
            .NotMatchRegex(@"\d+\. ConfirmEnvironment")
            .And.Contain("skipped: 'staging' needs no approval");
        var production = await SuiteRun.RunAsync(null, "--target=DeployProduction", "--dryrun");
        production.Out.Should().MatchRegex(@"\d+\. ConfirmEnvironment\s+\d+\. BackupDb\s+\d+\. ApplyMigrations");
        var rollback = await SuiteRun.RunAsync(
            RunReportTests.UnreachableStagingVps,
            "--target=Rollback",
            "--env=staging"
        );
        rollback.Out.Should().MatchRegex(@"ConfirmEnvironment\s+-\s+Skipped");
    }
}
