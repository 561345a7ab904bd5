using System.Diagnostics;
using Build.Testing;
using Build.Tests.Infrastructure;

namespace Build.Tests.Host;

/// <summary>What a run tells its reader: plain text in logs, the real reason a task was skipped, and missing
/// secrets before anything slow.</summary>
public class RunReportTests
{
    /// <summary>The suite as a separate process, its output redirected (a pipe, as in CI or `| tee`).</summary>
    private static (int ExitCode, string Output) RunProcess(
        IDictionary<string, string?> variables,
        params string[] args
    )
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Build.dll");
        var environment = new Dictionary<string, string?> { ["NO_COLOR"] = null, ["FORCE_COLOR"] = null };
        foreach (var (name, value) in variables) environment[name] = value;
        var run = ChildProcess.Run("dotnet", [dll, .. args], Require.RepositoryRoot, environment);
        return (run.ExitCode, run.All);
    }

    [Test]
    public void Output_to_a_pipe_is_plain_text_even_with_TERM_set_unless_forced()
    {
        var plain = RunProcess(
            new Dictionary<string, string?> { ["TERM"] = "xterm-256color" },
            "--target=ValidateEnvironment"
        );
        plain.ExitCode.Should().Be(0, plain.Output);
        plain
            .Output.Should()
            .Contain("ValidateEnvironment")
            .And.NotContain("\u001b[", "escape codes would litter files and CI logs");

        var forced = RunProcess(
            new Dictionary<string, string?> { ["TERM"] = "xterm-256color", ["FORCE_COLOR"] = "1" },
            "--target=ValidateEnvironment"
        );
        forced.Output.Should().Contain("\u001b[");
    }

    /// <summary>Staging's VPS secrets, set but pointing nowhere: the run gets past its secret check and fails
    /// fast.</summary>
    public static readonly Dictionary<string, string> UnreachableStagingVps = new()
    {
        ["STAGING_VPS_HOST"] = "127.0.0.1:1", ["STAGING_VPS_USER"] = "deploy", ["STAGING_VPS_SSH_KEY"] = "not a key",
    };

    [Test]
    public async Task A_skipped_task_says_why()
    {
        var run = await SuiteRun.RunAsync(UnreachableStagingVps, "--target=Rollback", "--env=staging");
        run.Out.Should()
            .MatchRegex(@"ConfirmEnvironment\s+-\s+Skipped\s+'staging' needs no approval")
            .And.NotContain("not needed here");
    }

    [Test]
    public async Task Missing_secrets_stop_the_run_before_anything_slow_named_as_users_set_them()
    {
        var watch = Stopwatch.StartNew();
        var run = await SuiteRun.RunAsync(null, "--target=ApplyMigrations", "--env=staging");
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("STAGING_DATABASE_URL").And.Contain("Nothing was run").And.NotContain("DatabaseUrl");
        run.Out.Should()
            .NotContain("Replayed")
            .And.NotContain("Scratch PostgreSQL", "no migration is replayed before the secrets are known");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Test]
    public void Missing_test_programs_are_named_with_the_command_that_installs_them()
    {
        var text = TestPrerequisites.Describe([
            new TestPrerequisites.Missing("sshd", "the deploy tests' private SSH server", "bash .ci/setup-deploy.sh"),
            new TestPrerequisites.Missing("nginx", "the deploy tests' switch of traffic", "bash .ci/setup-deploy.sh"),
            new TestPrerequisites.Missing("pm2", "releases", "npm ci")]);
        text.Should().StartWith("The tests need programs this machine lacks: sshd, nginx, pm2.")
            .And.Contain("bash .ci/setup-deploy.sh   # sshd").And.Contain("npm ci   # pm2").And.Contain("--install");
    }

    [Test]
    public void This_machine_has_every_program_the_tests_need()
    {
        // Under CI everything is installed by .ci/run; the Test target refuses to start otherwise.
        TestPrerequisites.FindMissing(Require.RepositoryRoot).Should().BeEmpty();
    }

    [Test]
    public async Task A_dry_run_shows_the_plan_pending_migrations_artifact_hosts_and_releases()
    {
        var run = await SuiteRun.RunAsync(null, "--target=Deploy", "--env=local", "--dryrun");
        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().Contain("Plan (read-only; nothing was changed):")
            .And.MatchRegex(@"ApplyMigrations:\s+\S.*(pending|would be applied)")
            .And.MatchRegex(@"PackageApp:\s+.*at commit [0-9a-f]{7}")
            .And.MatchRegex(@"DeployVps:\s+artifact: .*commit [0-9a-f]{7}")
            .And.MatchRegex(@"local: switch .* -> \d{14}-[0-9a-f]{7}; prune ");
        run.Out.Should().Contain("ConfirmEnvironment:").And.Contain("skipped: 'local' needs no approval");

        var staging = await SuiteRun.RunAsync(null, "--target=DeployStaging", "--dryrun");
        staging.ExitCode.Should().Be(0, staging.All);
        staging.Out.Should().Contain("pending migrations not listed: STAGING_DATABASE_URL is not set");
    }

    [Test]
    public void Pruning_in_a_plan_follows_the_deploys_rule()
    {
        var releases = new[]
        {
            "20260101000000-aaaaaaa",
            "20260102000000-bbbbbbb",
            "20260103000000-ccccccc",
            "20260104000000-ddddddd",
        };
        Build
            .Deploy.DeployPlanner.Prune(
                releases.Append("20260105000000-eeeeeee"),
                keep: 3,
                live: "20260105000000-eeeeeee",
                previous: "20260104000000-ddddddd"
            )
            .Should()
            .Equal("20260102000000-bbbbbbb", "20260101000000-aaaaaaa");
        Build
            .Deploy.DeployPlanner.Prune(
                releases,
                keep: 2,
                live: "20260104000000-ddddddd",
                previous: "20260101000000-aaaaaaa"
            )
            .Should()
            .Equal(["20260102000000-bbbbbbb"], "the previous release is never pruned");
        string[] five = [.. releases, "20260105000000-eeeeeee"];
        Build
            .Deploy.DeployPlanner.Prune(
                five,
                keep: 2,
                live: five[4],
                previous: five[1],
                failed: new HashSet<string> { five[2], five[3] }
            )
            .Should()
            .Equal([five[2], five[0]], "failed releases do not count; the newest failed one stays for inspection");
    }
}
