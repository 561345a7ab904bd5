using System.Text.Json.Nodes;
using Build.Tests.Infrastructure;
using Sodium;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Build.Tests.GitHub;

/// <summary>ConfigureGitHub against a local fake of GitHub's REST API that checks each request's method, path and
/// body.</summary>
public class ConfigureGitHubTests
{
    private const string Repo = "/repos/muva-chat/muva-chat";
    private const string Token = "ghp_fake-admin-token-0001";
    private const string DatabaseUrl = "postgresql://postgres:Pr0d-secret-Value@db.example:5432/postgres";
    private const string SlackWebhook = "https://hooks.slack.com/services/T000/B000/sEcReTsLaCk";
    private WireMockServer _github = null!;
    private string _folder = null!;
    private KeyPair _keys = null!;

    [SetUp]
    public void Start()
    {
        _github = WireMockServer.Start();
        _folder = Directory.CreateTempSubdirectory("configure-github-").FullName;
        _keys = PublicKeyBox.GenerateKeyPair();
        Reply("GET", "/orgs/muva-chat/teams/release", 200, new JsonObject { ["id"] = 77, ["slug"] = "release" });
        foreach (var env in new[] { "staging", "production" })
            Reply(
                "GET",
                $"{Repo}/environments/{env}/secrets/public-key",
                200,
                new JsonObject { ["key_id"] = $"key-{env}", ["key"] = Convert.ToBase64String(_keys.PublicKey) }
            );
        foreach (var method in new[] { "PUT", "POST", "PATCH" })
            _github
                .Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/repos/*")).UsingMethod(method))
                .AtPriority(100)
                .RespondWith(
                    Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("{}")
                );
        _github
            .Given(Request.Create().UsingGet())
            .AtPriority(1000)
            .RespondWith(
                Response
                    .Create()
                    .WithStatusCode(404)
                    .WithHeader("Content-Type", "application/json")
                    .WithBody("{\"message\":\"Not Found\"}")
            );
    }

    [TearDown]
    public void Stop()
    {
        _github.Stop();
        Directory.Delete(_folder, recursive: true);
    }

    private void Reply(string method, string path, int status, JsonNode body) =>
        _github
            .Given(Request.Create().WithPath(path).UsingMethod(method))
            .AtPriority(1)
            .RespondWith(
                Response
                    .Create()
                    .WithStatusCode(status)
                    .WithHeader("Content-Type", "application/json")
                    .WithBody(body.ToJsonString())
            );

    /// <summary>The shipped configuration with two secrets per environment (the others are not set on this machine
    /// anyway).</summary>
    private string Config() =>
        TestConfiguration.Write(
            _folder,
            json =>
            {
                json["github"]!["environments"]!["production"]!["secrets"] = new JsonArray(
                    "PROD_DATABASE_URL",
                    "SLACK_WEBHOOK_URL"
                );
                json["github"]!["environments"]!["staging"]!["secrets"] = new JsonArray("STAGING_DATABASE_URL");
            }
        );

    private Task<SuiteRun.Result> Run(params string[] args) => SuiteRun.RunAsync(new Dictionary<string, string>
    {
        ["GITHUB_TOKEN"] = Token,
        ["GITHUB_API_URL"] = _github.Urls[0],
        ["PROD_DATABASE_URL"] = DatabaseUrl,
        ["SLACK_WEBHOOK_URL"] = SlackWebhook,
    }, ["--target=ConfigureGitHub", $"--config={Config()}", .. args]);

    private List<(string Method, string Path, JsonNode? Body)> Writes() =>
        _github
            .LogEntries.Where(e => e.RequestMessage.Method != "GET")
            .Select(e =>
                (
                    e.RequestMessage.Method,
                    e.RequestMessage.Path,
                    e.RequestMessage.Body is { Length: > 0 } b ? JsonNode.Parse(b) : null
                )
            )
            .ToList();

    private JsonNode Body(string method, string path) =>
        Writes().Single(w => w.Method == method && w.Path == path).Body!;

    [Test]
    public async Task Apply_on_an_empty_repository_protects_branches_creates_environments_and_seals_secrets()
    {
        var run = await Run("--apply");

        run.ExitCode.Should().Be(0, run.All);
        var main = Body("PUT", $"{Repo}/branches/main/protection");
        main["required_status_checks"]!["contexts"]!
            .AsArray()
            .Select(c => c!.GetValue<string>())
            .Should()
            .Equal("lint", "promotion", "test");
        main["required_pull_request_reviews"]!["required_approving_review_count"]!.GetValue<int>().Should().Be(1);
        main["required_pull_request_reviews"]!["require_code_owner_reviews"]!.GetValue<bool>().Should().BeTrue();
        main["required_pull_request_reviews"]!["dismiss_stale_reviews"]!.GetValue<bool>().Should().BeTrue();
        main["required_linear_history"]!.GetValue<bool>().Should().BeTrue();
        main["allow_force_pushes"]!.GetValue<bool>().Should().BeFalse();
        main["allow_deletions"]!.GetValue<bool>().Should().BeFalse();
        Body("PUT", $"{Repo}/branches/dev/protection")["required_status_checks"]!["contexts"]!
            .AsArray()
            .Should()
            .HaveCount(2);

        var production = Body("PUT", $"{Repo}/environments/production");
        production["reviewers"]!.ToJsonString().Should().Be("[{\"type\":\"Team\",\"id\":77}]");
        production["deployment_branch_policy"]!["custom_branch_policies"]!.GetValue<bool>().Should().BeTrue();
        Body("POST", $"{Repo}/environments/production/deployment-branch-policies")
            .ToJsonString()
            .Should()
            .Be("{\"name\":\"main\",\"type\":\"branch\"}");
        Body("POST", $"{Repo}/environments/staging/deployment-branch-policies")["name"]!
            .GetValue<string>()
            .Should()
            .Be("staging");
        Body("POST", $"{Repo}/environments/production/variables")
            .ToJsonString()
            .Should()
            .Be("{\"name\":\"PUBLIC_URL\",\"value\":\"https://muva.chat\"}");

        var secret = Body("PUT", $"{Repo}/environments/production/secrets/PROD_DATABASE_URL");
        secret["key_id"]!.GetValue<string>().Should().Be("key-production");
        var opened = SealedPublicKeyBox.Open(
            Convert.FromBase64String(secret["encrypted_value"]!.GetValue<string>()),
            _keys.PrivateKey,
            _keys.PublicKey
        );
        System.Text.Encoding.UTF8.GetString(opened).Should().Be(DatabaseUrl);
        Writes()
            .Should()
            .NotContain(
                w => w.Path.EndsWith("/STAGING_DATABASE_URL"),
                "a secret not set on this machine is left alone"
            );

        var requests = string.Join("\n", _github.LogEntries.Select(e => e.RequestMessage.Body ?? ""));
        requests.Should().NotContain(DatabaseUrl).And.NotContain(SlackWebhook).And.NotContain("Pr0d-secret-Value");
        run.All.Should()
            .NotContain(DatabaseUrl)
            .And.NotContain("Pr0d-secret-Value")
            .And.NotContain(SlackWebhook)
            .And.NotContain(Token);
        _github
            .LogEntries.Should()
            .OnlyContain(e =>
                e.RequestMessage.Headers!["Authorization"]
                    .Single()
                    .Equals($"token {Token}", StringComparison.OrdinalIgnoreCase)
            );
        run.Out.Should().Contain("Wrote");
    }

    [Test]
    public async Task Dryrun_prints_the_difference_as_a_table_and_sends_nothing()
    {
        var run = await Run("--dryrun");

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().MatchRegex(@"area\s+item\s+GitHub now\s+configuration wants\s+action");
        run.Out.Should()
            .MatchRegex(
                @"protection\s+main\s+not protected\s+checks \[lint, promotion, test\]; PR with 1 approval\(s\) \+ " +
                @"code owners.*create"
            );
        run.Out.Should()
            .MatchRegex(
                @"secret\s+production: PROD_DATABASE_URL\s+missing\s+sealed from this machine's value\s+create"
            );
        run.Out.Should().Contain("nothing was sent");
        Writes().Should().BeEmpty();
        run.All.Should().NotContain(DatabaseUrl).And.NotContain("Pr0d-secret-Value");
    }

    [Test]
    public async Task A_second_apply_against_what_the_first_wrote_sends_no_write_and_says_so()
    {
        foreach (
            var (branch, approvals, codeOwners, checks) in new[]
            {
                ("dev", 0, false, "[\"lint\",\"test\"]"),
                ("staging", 0, false, "[\"lint\",\"promotion\",\"test\"]"),
                ("main", 1, true, "[\"lint\",\"promotion\",\"test\"]"),
            }
        )
            Reply(
                "GET",
                $"{Repo}/branches/{branch}/protection",
                200,
                JsonNode.Parse(
                    $$$"""
                    {"required_status_checks":{"strict":true,"contexts":{{{checks}}}},
                     "required_pull_request_reviews":{"dismiss_stale_reviews":true,"require_code_owner_reviews":{{{(
                        codeOwners ? "true" : "false"
                    )}}},"required_approving_review_count":{{{approvals}}}},
                     "enforce_admins":{"enabled":true},"required_linear_history":{"enabled":true},
                     "allow_force_pushes":{"enabled":false},"allow_deletions":{"enabled":false}}
                    """
                )!
            );
        Reply(
            "GET",
            $"{Repo}/environments/staging",
            200,
            JsonNode.Parse(
                """
                {"name":"staging","protection_rules":[],
                 "deployment_branch_policy":{"protected_branches":false,"custom_branch_policies":true}}
                """
            )!
        );
        Reply(
            "GET",
            $"{Repo}/environments/production",
            200,
            JsonNode.Parse(
                """
                {"name":"production",
                 "protection_rules":[{"type":"required_reviewers",
                                      "reviewers":[{"type":"Team","reviewer":{"id":77,"slug":"release"}}]}],
                 "deployment_branch_policy":{"protected_branches":false,"custom_branch_policies":true}}
                """
            )!
        );
        foreach (var (env, branch) in new[] { ("staging", "staging"), ("production", "main") })
            Reply(
                "GET",
                $"{Repo}/environments/{env}/deployment-branch-policies",
                200,
                JsonNode.Parse($"{{\"branch_policies\":[{{\"id\":1,\"name\":\"{branch}\",\"type\":\"branch\"}}]}}")!
            );
        Reply(
            "GET",
            $"{Repo}/environments/production/secrets",
            200,
            JsonNode.Parse(
                """{"total_count":2,"secrets":[{"name":"PROD_DATABASE_URL"},{"name":"SLACK_WEBHOOK_URL"}]}"""
            )!
        );
        Reply(
            "GET",
            $"{Repo}/environments/staging/variables",
            200,
            JsonNode.Parse("""{"variables":[{"name":"PUBLIC_URL","value":"https://staging.muva.chat"}]}""")!
        );
        Reply(
            "GET",
            $"{Repo}/environments/production/variables",
            200,
            JsonNode.Parse("""{"variables":[{"name":"PUBLIC_URL","value":"https://muva.chat"}]}""")!
        );

        var run = await Run("--apply");

        run.ExitCode.Should().Be(0, run.All);
        Writes().Should().BeEmpty();
        run.Out.Should().Contain("GitHub already matches the configuration: nothing written");
        run.Out.Should()
            .MatchRegex(
                @"secret\s+production: PROD_DATABASE_URL\s+set \(value hidden\)\s+set \(kept; --update-secrets " +
                @"replaces it\)\s+ok"
            );
    }

    [Test]
    public async Task A_changed_variable_is_patched_and_an_extra_deploy_branch_is_reported()
    {
        Reply(
            "GET",
            $"{Repo}/environments/production/variables",
            200,
            JsonNode.Parse("""{"variables":[{"name":"PUBLIC_URL","value":"https://old.muva.chat"}]}""")!
        );
        Reply(
            "GET",
            $"{Repo}/environments/production/deployment-branch-policies",
            200,
            JsonNode.Parse("""{"branch_policies":[{"id":1,"name":"main"},{"id":2,"name":"feature/*"}]}""")!
        );

        var run = await Run("--apply", "--repository=muva-chat/muva-chat");

        run.ExitCode.Should().Be(0, run.All);
        Body("PATCH", $"{Repo}/environments/production/variables/PUBLIC_URL")
            .ToJsonString()
            .Should()
            .Be("{\"name\":\"PUBLIC_URL\",\"value\":\"https://muva.chat\"}");
        Writes().Should().NotContain(w => w.Path == $"{Repo}/environments/production/deployment-branch-policies");
        run.Out.Should().MatchRegex(@"branch policy\s+production ← feature/\*\s+allowed\s+not wanted");
    }

    // ---- repository secrets (deploy-production's package job has no GitHub environment) ----

    private const string StagingUrl = "https://stagingref000000000.supabase.co";
    private const string StagingAnon = "eyJ-staging-anon-KEY-value";
    private const string ProdUrl = "https://prodref00000000000000.supabase.co";
    private const string ProdAnon = "eyJ-prod-anon-KEY-value";
    private const string StagingActionsKey = "c3RhZ2luZy1zZXJ2ZXItYWN0aW9ucy1rZXktMzJiIQ==";
    private const string ProdActionsKey = "cHJvZC1zZXJ2ZXItYWN0aW9ucy1rZXktMzJieXRlcyE=";

    /// <summary>A run from the test's folder, so that its .env.staging and .env.production are the ones read: the
    /// public values come from this shell, each environment's server actions key from its own .env file.</summary>
    private Task<SuiteRun.Result> RunWithRepositorySources(bool productionKey, params string[] args)
    {
        File.WriteAllText(
            Path.Combine(_folder, ".env.staging"),
            $"NEXT_SERVER_ACTIONS_ENCRYPTION_KEY={StagingActionsKey}\n"
        );
        if (productionKey)
            File.WriteAllText(
                Path.Combine(_folder, ".env.production"),
                $"NEXT_SERVER_ACTIONS_ENCRYPTION_KEY={ProdActionsKey}\n"
            );
        return SuiteRun.RunInAsync(
            _folder,
            new Dictionary<string, string>
            {
                ["GITHUB_TOKEN"] = Token,
                ["GITHUB_API_URL"] = _github.Urls[0],
                ["STAGING_SUPABASE_URL"] = StagingUrl,
                ["STAGING_SUPABASE_ANON_KEY"] = StagingAnon,
                ["PROD_SUPABASE_URL"] = ProdUrl,
                ["PROD_SUPABASE_ANON_KEY"] = ProdAnon,
            },
            ["--target=ConfigureGitHub", $"--config={Config()}", "--repository=muva-chat/muva-chat", .. args]
        );
    }

    private static readonly string[] RepositorySecretNames =
    [
        "STAGING_SUPABASE_URL", "STAGING_SUPABASE_ANON_KEY", "STAGING_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY",
        "PROD_SUPABASE_URL", "PROD_SUPABASE_ANON_KEY", "PROD_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY",
    ];

    private static readonly string[] RepositorySecretValues =
    [
        StagingUrl,
        StagingAnon,
        StagingActionsKey,
        ProdUrl,
        ProdAnon,
        ProdActionsKey,
    ];

    [Test]
    public async Task Dryrun_lists_the_repository_secrets_it_would_set_by_name_only()
    {
        Reply(
            "GET",
            $"{Repo}/actions/secrets",
            200,
            JsonNode.Parse("""{"total_count":1,"secrets":[{"name":"PROD_SUPABASE_URL"}]}""")!
        );

        var run = await RunWithRepositorySources(productionKey: true, "--dryrun");

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should()
            .MatchRegex(
                @"secret\s+repository: STAGING_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY\s+missing\s+sealed from staging's " +
                @"NEXT_SERVER_ACTIONS_ENCRYPTION_KEY\s+create"
            );
        run.Out.Should()
            .MatchRegex(
                @"secret\s+repository: PROD_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY\s+missing\s+sealed from production's " +
                @"NEXT_SERVER_ACTIONS_ENCRYPTION_KEY\s+create"
            );
        run.Out.Should()
            .MatchRegex(
                @"secret\s+repository: STAGING_SUPABASE_ANON_KEY\s+missing\s+sealed from staging's " +
                @"STAGING_SUPABASE_ANON_KEY\s+create"
            );
        run.Out.Should()
            .MatchRegex(
                @"secret\s+repository: PROD_SUPABASE_URL\s+set \(value hidden\)\s+set \(kept; --update-secrets " +
                @"replaces it\)\s+ok"
            );
        run.Out.Should().NotContain("same value as");
        Writes().Should().BeEmpty();
        _github
            .LogEntries.Should()
            .NotContain(e => e.RequestMessage.Path.EndsWith("/public-key"), "a dry run reads no key: it seals nothing");
        foreach (var value in RepositorySecretValues)
            run.All.Should().NotContain(value);
    }

    [Test]
    public async Task Apply_seals_each_repository_secret_from_its_environment_for_the_repository_key()
    {
        var repositoryKeys = PublicKeyBox.GenerateKeyPair();
        Reply(
            "GET",
            $"{Repo}/actions/secrets/public-key",
            200,
            new JsonObject { ["key_id"] = "key-repository", ["key"] = Convert.ToBase64String(repositoryKeys.PublicKey) }
        );

        var run = await RunWithRepositorySources(productionKey: true, "--apply");

        run.ExitCode.Should().Be(0, run.All);
        var puts = Writes().Where(w => w.Path.StartsWith($"{Repo}/actions/secrets/")).ToList();
        puts.Select(w => (w.Method, w.Path))
            .Should()
            .BeEquivalentTo(RepositorySecretNames.Select(n => ("PUT", $"{Repo}/actions/secrets/{n}")));
        foreach (var (name, expected) in RepositorySecretNames.Zip(RepositorySecretValues))
        {
            var body = Body("PUT", $"{Repo}/actions/secrets/{name}");
            body.AsObject().Select(p => p.Key).Should().BeEquivalentTo(["encrypted_value", "key_id"]);
            body["key_id"]!.GetValue<string>().Should().Be("key-repository");
            var opened = SealedPublicKeyBox.Open(
                Convert.FromBase64String(body["encrypted_value"]!.GetValue<string>()),
                repositoryKeys.PrivateKey,
                repositoryKeys.PublicKey
            );
            System
                .Text.Encoding.UTF8.GetString(opened)
                .Should()
                .Be(expected, $"{name} holds its own environment's value");
        }
        var requests = string.Join("\n", _github.LogEntries.Select(e => e.RequestMessage.Body ?? ""));
        foreach (var value in RepositorySecretValues)
        {
            requests.Should().NotContain(value);
            run.All.Should().NotContain(value);
        }
        run.Out.Should().Contain("created secret: repository: PROD_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY");
    }

    [Test]
    public async Task A_repository_secret_without_a_value_here_names_the_file_and_command_and_is_not_written()
    {
        var repositoryKeys = PublicKeyBox.GenerateKeyPair();
        Reply(
            "GET",
            $"{Repo}/actions/secrets/public-key",
            200,
            new JsonObject { ["key_id"] = "key-repository", ["key"] = Convert.ToBase64String(repositoryKeys.PublicKey) }
        );

        var run = await RunWithRepositorySources(productionKey: false, "--apply");

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should()
            .MatchRegex(
                @"secret\s+repository: PROD_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY\s+missing\s+not set here: put " +
                @"NEXT_SERVER_ACTIONS_ENCRYPTION_KEY in \.env\.production \(or this shell\), then \./build\.sh " +
                @"--target=ConfigureGitHub --apply\s+no value"
            );
        run.All.Should()
            .Contain("have no value on this machine")
            .And.Contain("repository: PROD_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY");
        Writes().Should().NotContain(w => w.Path.EndsWith("/PROD_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"));
        Writes()
            .Should()
            .Contain(
                w => w.Path == $"{Repo}/actions/secrets/STAGING_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY",
                "the others are still written"
            );
    }

    [Test]
    public async Task One_key_from_this_shell_for_both_environments_is_flagged_as_shared()
    {
        var run = await SuiteRun.RunAsync(new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = Token,
            ["GITHUB_API_URL"] = _github.Urls[0],
            ["NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"] = StagingActionsKey,
        }, ["--target=ConfigureGitHub", $"--config={Config()}", "--dryrun"]);

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should()
            .MatchRegex(
                @"repository: STAGING_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY\s+missing\s+sealed from staging's " +
                @"NEXT_SERVER_ACTIONS_ENCRYPTION_KEY \(same value as PROD_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"
            );
        run.All.Should().NotContain(StagingActionsKey);
    }

    [Test]
    public async Task A_repository_secret_from_an_unknown_environment_is_refused_naming_its_path()
    {
        var config = TestConfiguration.Write(
            _folder,
            json =>
                json["github"]!["repositorySecrets"]!["QA_SUPABASE_URL"] = new JsonObject
                {
                    ["environment"] = "qa",
                    ["variable"] = "QA_SUPABASE_URL",
                }
        );

        var run = await SuiteRun.RunAsync(
            new Dictionary<string, string> { ["GITHUB_TOKEN"] = Token, ["GITHUB_API_URL"] = _github.Urls[0] },
            "--target=ConfigureGitHub",
            $"--config={config}",
            "--dryrun"
        );

        run.ExitCode.Should().NotBe(0);
        run.All.Should()
            .Contain("$.github.repositorySecrets.QA_SUPABASE_URL.environment")
            .And.Contain("'qa' is not an environment in this file");
        _github.LogEntries.Should().BeEmpty();
    }

    [Test]
    public async Task Without_a_token_it_says_what_it_needs()
    {
        var run = await SuiteRun.RunAsync(null, "--target=ConfigureGitHub", "--dryrun");
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("GITHUB_TOKEN is not set");
    }
}
