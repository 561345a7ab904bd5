using System.Text.Json.Nodes;
using Build.Supabase;
using Build.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Build.Tests.Supabase;

/// <summary>SupabaseBranches against a local fake of the Management API that checks each request's method, path,
/// bearer token and body (the shapes of the real API: BranchResponse, CreateBranchBody).</summary>
public class SupabaseBranchesTests
{
    private const string Token = "sbp_fake0123456789abcdef0123456789abcdef";
    private const string DevRef = "iyeueszchbvlutlcmvcb"; // dev's supabaseProjectRef in build/environments.json
    private const string Branches = $"/v1/projects/{DevRef}/branches";
    private WireMockServer _api = null!;

    [SetUp]
    public void Start()
    {
        _api = WireMockServer.Start();
        // Anything not stubbed below: 404 as the real API answers an unknown path, so a wrong path fails the test.
        _api.Given(Request.Create()).AtPriority(1000).RespondWith(Response.Create().WithStatusCode(404)
            .WithHeader("Content-Type", "application/json").WithBody("{\"message\":\"Not Found\"}"));
    }

    [TearDown]
    public void Stop() => _api.Stop();

    private void Reply(string method, string path, int status, JsonNode? body) =>
        _api.Given(Request.Create().WithPath(path).UsingMethod(method).WithHeader("Authorization", $"Bearer {Token}"))
            .AtPriority(1)
            .RespondWith(
                Response
                    .Create()
                    .WithStatusCode(status)
                    .WithHeader("Content-Type", "application/json")
                    .WithBody(body?.ToJsonString() ?? "")
            );

    private static JsonObject Branch(
        string id,
        string name,
        string? git,
        string status,
        DateTimeOffset created,
        bool isDefault = false
    ) =>
        new()
        {
            ["id"] = id,
            ["name"] = name,
            ["project_ref"] = isDefault ? DevRef : "abcdefghijklmnopqrst",
            ["parent_project_ref"] = DevRef,
            ["is_default"] = isDefault,
            ["git_branch"] = git,
            ["persistent"] = false,
            ["status"] = status,
            ["created_at"] = created.ToString("O"),
            ["updated_at"] = created.ToString("O"),
        };

    private Task<SuiteRun.Result> Run(params string[] args) => SuiteRun.RunAsync(new Dictionary<string, string>
    {
        ["SUPABASE_ACCESS_TOKEN"] = Token,
        ["SUPABASE_API_URL"] = _api.Urls[0],
    }, ["--target=SupabaseBranches", "--env=dev", .. args]);

    private List<WireMock.Logging.ILogEntry> Requests() => _api.LogEntries.ToList();

    private void EveryRequestCarriedTheToken() =>
        Requests().Should().OnlyContain(e => e.RequestMessage.Headers!["Authorization"].Single() == $"Bearer {Token}");

    [Test]
    public async Task List_shows_status_age_and_git_branch_of_each_branch()
    {
        var now = DateTimeOffset.UtcNow;
        Reply(
            "GET",
            Branches,
            200,
            new JsonArray(
                Branch("0a1b", "main", null, "FUNCTIONS_DEPLOYED", now.AddDays(-90), isDefault: true),
                Branch(
                    "3c4d",
                    "feature-login",
                    "feature/login",
                    "MIGRATIONS_PASSED",
                    now.AddDays(-2).AddHours(-5).AddMinutes(-1)
                ),
                Branch("5e6f", "fix-typo", "fix/typo", "CREATING_PROJECT", now.AddMinutes(-7).AddSeconds(-10))
            )
        );

        var run = await Run("--action=list");

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().MatchRegex(@"feature-login\s+MIGRATIONS_PASSED\s+2d 5h\s+feature/login\s+3c4d")
            .And.MatchRegex(@"fix-typo\s+CREATING_PROJECT\s+7m\s+fix/typo\s+5e6f")
            .And.MatchRegex(@"main \(default\)\s+FUNCTIONS_DEPLOYED\s+90d 0h")
            .And.Contain("2 preview branch(es), 53 branch-hour(s)");
        Requests()
            .Should()
            .ContainSingle()
            .Which.RequestMessage.Should()
            .Match<WireMock.RequestMessage>(r => r.Method == "GET" && r.Path == Branches);
        EveryRequestCarriedTheToken();
        run.All.Should().NotContain(Token);
    }

    [Test]
    public async Task Create_posts_branch_name_and_git_branch()
    {
        Reply(
            "POST",
            Branches,
            201,
            Branch("7a8b", "feature-login", "feature/login", "CREATING_PROJECT", DateTimeOffset.UtcNow)
        );

        var run = await Run("--action=create", "--branch=feature-login", "--git-branch=feature/login");

        run.ExitCode.Should().Be(0, run.All);
        var request = Requests().Should().ContainSingle().Subject.RequestMessage;
        request.Method.Should().Be("POST");
        request.Path.Should().Be(Branches);
        request.Headers!["Content-Type"].Single().Should().StartWith("application/json");
        var body = JsonNode.Parse(request.Body!)!.AsObject();
        body.Select(p => p.Key).Should().BeEquivalentTo("branch_name", "git_branch");
        body["branch_name"]!.GetValue<string>().Should().Be("feature-login");
        body["git_branch"]!.GetValue<string>().Should().Be("feature/login");
        EveryRequestCarriedTheToken();
        run.Out.Should().Contain("Created branch 'feature-login' (id 7a8b").And.Contain("no data is copied");
    }

    [Test]
    public async Task Delete_finds_the_branch_by_name_and_deletes_it_by_id()
    {
        Reply(
            "GET",
            Branches,
            200,
            new JsonArray(Branch("3c4d", "feature-login", "feature/login", "MIGRATIONS_PASSED", DateTimeOffset.UtcNow))
        );
        Reply("DELETE", "/v1/branches/3c4d", 200, new JsonObject { ["message"] = "ok" });

        var run = await Run("--action=delete", "--branch=feature-login");

        run.ExitCode.Should().Be(0, run.All);
        Requests()
            .Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Path}")
            .Should()
            .Equal($"GET {Branches}", "DELETE /v1/branches/3c4d");
        Requests().Last().RequestMessage.Body.Should().BeNullOrEmpty();
        EveryRequestCarriedTheToken();
        run.Out.Should().Contain("Deleted branch 'feature-login' (id 3c4d");
    }

    [Test]
    public async Task Delete_never_deletes_the_default_branch_and_names_an_unknown_one()
    {
        Reply(
            "GET",
            Branches,
            200,
            new JsonArray(Branch("0a1b", "main", null, "FUNCTIONS_DEPLOYED", DateTimeOffset.UtcNow, isDefault: true))
        );

        var main = await Run("--action=delete", "--branch=main");
        main.ExitCode.Should().Be(1);
        main.Error.Should().Contain("default (production) branch").And.Contain("Nothing was deleted");

        var unknown = await Run("--action=delete", "--branch=nope");
        unknown.ExitCode.Should().Be(1);
        unknown.Error.Should().Contain("no branch named or numbered 'nope'").And.Contain("it has: main");
        Requests().Should().OnlyContain(e => e.RequestMessage.Method == "GET");
    }

    [Test]
    public async Task A_refused_token_is_a_clear_message_without_the_token()
    {
        _api.Given(Request.Create().WithPath(Branches).UsingGet())
            .AtPriority(1)
            .RespondWith(
                Response
                    .Create()
                    .WithStatusCode(401)
                    .WithHeader("Content-Type", "application/json")
                    .WithBody($"{{\"message\":\"Unauthorized: invalid token {Token}\"}}")
            );

        var run = await Run("--action=list");

        run.ExitCode.Should().Be(1);
        run.Error.Should()
            .Contain("answered 401")
            .And.Contain("SUPABASE_ACCESS_TOKEN was refused")
            .And.Contain("dashboard/account/tokens");
        run.All.Should().NotContain(Token, "the token is masked even when the API echoes it");
    }

    [Test]
    public async Task An_unknown_project_is_a_clear_404_message()
    {
        var run = await Run("--action=list"); // nothing stubbed for the path: the catch-all answers 404

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain($"Listing the branches of project {DevRef}").And.Contain("answered 404")
            .And.Contain("supabaseProjectRef in build/environments.json").And.Contain("Not Found");
        run.All.Should().NotContain(Token);
    }

    [TestCase("pause")]
    [TestCase("resume")]
    public async Task Pause_and_resume_are_refused_because_the_api_has_no_such_call(string action)
    {
        var run = await Run($"--action={action}");

        run.ExitCode.Should().Be(1);
        run.Error.Should()
            .Contain($"has no {action} call for branches")
            .And.Contain("--action=delete")
            .And.Contain("Nothing was sent");
        Requests().Should().BeEmpty();
    }

    [Test]
    public async Task Missing_token_action_or_project_ref_are_named_before_anything_is_sent()
    {
        var noToken = await SuiteRun.RunAsync(new Dictionary<string, string> { ["SUPABASE_API_URL"] = _api.Urls[0] },
            "--target=SupabaseBranches", "--env=dev", "--action=list");
        noToken.ExitCode.Should().Be(1);
        noToken.Error.Should().Contain("SUPABASE_ACCESS_TOKEN is not set");

        var noAction = await Run();
        noAction.Error.Should().Contain("--action is required");

        var local = await SuiteRun.RunAsync(
            new Dictionary<string, string> { ["SUPABASE_ACCESS_TOKEN"] = Token, ["SUPABASE_API_URL"] = _api.Urls[0] },
            "--target=SupabaseBranches",
            "--env=local",
            "--action=list"
        );
        local.ExitCode.Should().Be(1);
        local.Error.Should().Contain("'local' has no supabaseProjectRef");
        Requests().Should().BeEmpty();
    }

    [Test]
    public async Task The_token_may_come_from_the_environments_dotenv_file_like_every_other_secret()
    {
        Reply(
            "GET",
            Branches,
            200,
            new JsonArray(
                Branch("0a1b", "main", null, "FUNCTIONS_DEPLOYED", DateTimeOffset.UtcNow.AddDays(-1), isDefault: true)
            )
        );
        using var repository = ScratchRepository.Create();
        repository.Write(".env.dev", $"SUPABASE_ACCESS_TOKEN={Token}\n");

        var run = await SuiteRun.RunInAsync(
            repository.Root,
            new Dictionary<string, string> { ["SUPABASE_API_URL"] = _api.Urls[0] },
            "--target=SupabaseBranches",
            "--env=dev",
            "--action=list"
        );

        run.ExitCode.Should().Be(0, run.All);
        Requests().Should().ContainSingle();
        EveryRequestCarriedTheToken();
        run.All.Should().NotContain(Token);
    }

    [Test]
    public void Age_reads_in_days_hours_and_minutes() =>
        new[] { TimeSpan.FromMinutes(7.5), TimeSpan.FromHours(5.25), TimeSpan.FromDays(3.5), TimeSpan.FromMinutes(-1) }
            .Select(BranchListing.Age).Should().Equal("7m", "5h 15m", "3d 12h", "0m");
}
