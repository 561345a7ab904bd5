using Build.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Build.Tests.Gates;

/// <summary>Under Actions only GitHub's API proves an approval: a local fake of the run and approvals endpoints
/// answers approved, rejected or nothing, and checks that the suite asks about this run with the token.</summary>
public class ApprovalGateTests
{
    private const string RunId = "4242";
    private const string Token = "ghs_fake-token-for-approvals";
    private WireMockServer _github = null!;
    private string _summary = null!;

    [SetUp]
    public void StartFake()
    {
        _github = WireMockServer.Start();
        _summary = Path.GetTempFileName();
    }

    [TearDown]
    public void StopFake()
    {
        _github.Stop();
        File.Delete(_summary);
    }

    private void Answer(string runStatus, string approvals)
    {
        _github
            .Given(
                Request
                    .Create()
                    .WithPath($"/repos/muva-chat/muva-chat/actions/runs/{RunId}")
                    .UsingGet()
                    .WithHeader("Authorization", $"Bearer {Token}")
            )
            .RespondWith(
                Response
                    .Create()
                    .WithStatusCode(200)
                    .WithHeader("Content-Type", "application/json")
                    .WithBody($"{{\"id\":{RunId},\"status\":\"{runStatus}\"}}")
            );
        _github
            .Given(
                Request
                    .Create()
                    .WithPath($"/repos/muva-chat/muva-chat/actions/runs/{RunId}/approvals")
                    .UsingGet()
                    .WithHeader("Authorization", $"Bearer {Token}")
            )
            .RespondWith(
                Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(approvals)
            );
    }

    private static string Review(string state, string login, string environment = "production") =>
        $"{{\"state\":\"{state}\",\"comment\":\"\",\"user\":{{\"login\":\"" +
        $"{login}\"}},\"environments\":[{{\"id\":1,\"name\":\"{environment}\"}}]}}";

    private Dictionary<string, string> Actions() => new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_RUN_ID"] = RunId,
        ["GITHUB_TOKEN"] = Token,
        ["GITHUB_API_URL"] = _github.Urls[0],
        ["GITHUB_REF_NAME"] = "main",
        ["GITHUB_ACTOR"] = "deployer",
        // Past the approval Rollback connects: to a closed port, so the run ends there.
        ["PROD_VPS_HOST"] = "127.0.0.1:1", ["PROD_VPS_USER"] = "deploy", ["PROD_VPS_SSH_KEY"] = "not a key",
    };

    [Test]
    public async Task An_approval_of_this_run_for_production_lets_the_change_go_on_and_names_the_approver()
    {
        Answer("in_progress", $"[{Review("approved", "lead-reviewer")}]");
        var variables = Actions();
        variables["GITHUB_STEP_SUMMARY"] = _summary;

        var run = await SuiteRun.RunAsync(variables, "--target=Rollback", "--env=production");

        run.Out.Should().MatchRegex(@"ConfirmEnvironment\s+\S+\s+Succeeded");
        run.Out.Should().Contain("approved on GitHub by lead-reviewer");
        run.Out.Should()
            .MatchRegex(
                @"\n\s*Rollback\s+\S+\s+Failed",
                "past the approval, Rollback runs (and cannot reach the host)"
            );
        File.ReadAllText(_summary).Should().Contain("approval of **lead-reviewer**");
        _github
            .LogEntries.Select(e => e.RequestMessage.Path)
            .Should()
            .Contain($"/repos/muva-chat/muva-chat/actions/runs/{RunId}/approvals");
        string.Join("\n", run.All.Split('\n').Where(l => !l.StartsWith("::add-mask::"))).Should().NotContain(Token);
    }

    [Test]
    public async Task A_rejection_refuses_even_with_confirm()
    {
        Answer("in_progress", $"[{Review("rejected", "careful-reviewer")}]");

        var run = await SuiteRun.RunAsync(Actions(), "--target=Rollback", "--env=production", "--confirm=production");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("rejected by careful-reviewer");
        run.Out.Should().MatchRegex(@"ConfirmEnvironment\s+\S+\s+Failed");
        run.All.Should().NotContain("VPS_HOST");
    }

    [Test]
    public async Task No_approval_of_this_run_is_a_shell_refused_without_confirm()
    {
        Answer("in_progress", $"[{Review("approved", "someone", environment: "staging")}]");

        var run = await SuiteRun.RunAsync(Actions(), "--target=Rollback", "--env=production");

        run.ExitCode.Should().Be(1);
        run.Error.Should()
            .Contain("GitHub has no approval of run 4242 for the 'production' environment")
            .And.Contain("--confirm=production");
        run.All.Should().NotContain("VPS_HOST");
    }

    [Test]
    public async Task Approvals_of_a_finished_run_do_not_approve_a_shell_that_borrows_its_id()
    {
        Answer("completed", $"[{Review("approved", "lead-reviewer")}]");

        var run = await SuiteRun.RunAsync(Actions(), "--target=Rollback", "--env=production");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("is completed, not in progress");
    }

    [Test]
    public async Task GITHUB_ACTIONS_true_in_a_shell_proves_nothing()
    {
        var run = await SuiteRun.RunAsync(
            new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_REF_NAME"] = "main" },
            "--target=ConfirmEnvironment",
            "--env=production"
        );

        run.ExitCode.Should().Be(1);
        run.Error.Should()
            .Contain("'production' requires approval")
            .And.Contain("GITHUB_ACTIONS=true proves nothing")
            .And.Contain("--confirm=production");

        var rollback = await SuiteRun.RunAsync(
            new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_REF_NAME"] = "main" },
            "--target=Rollback",
            "--env=production"
        );
        rollback.ExitCode.Should().Be(1);
        rollback.All.Should().NotContain("VPS_HOST");
    }

    [Test]
    public async Task Under_Actions_a_deploy_from_another_branch_is_refused()
    {
        Answer("in_progress", $"[{Review("approved", "lead-reviewer")}]");
        var variables = Actions();
        variables["GITHUB_REF_NAME"] = "feature/quick-fix";

        var run = await SuiteRun.RunAsync(variables, "--target=Rollback", "--env=production");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("built from the branch 'main'").And.Contain("'feature/quick-fix'");
        _github.LogEntries.Should().BeEmpty("the branch is refused before anyone is asked");
    }
}
