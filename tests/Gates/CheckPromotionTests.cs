using System.Text.Json.Nodes;
using Build.Tests.Infrastructure;

namespace Build.Tests.Gates;

/// <summary>CheckPromotion on pull_request event payloads: same repository, a fork, a wrong base.</summary>
public class CheckPromotionTests
{
    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("promotion-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private string Payload(string head, string @base, string headRepo = "muva-chat/muva-chat")
    {
        var path = Path.Combine(_folder, "event.json");
        var pr = new JsonObject
        {
            ["number"] = 7,
            ["head"] = new JsonObject
            {
                ["ref"] = head,
                ["repo"] = new JsonObject { ["full_name"] = headRepo },
            },
            ["base"] = new JsonObject
            {
                ["ref"] = @base,
                ["repo"] = new JsonObject { ["full_name"] = "muva-chat/muva-chat" },
            },
        };
        File.WriteAllText(
            path,
            new JsonObject
            {
                ["action"] = "opened",
                ["number"] = 7,
                ["pull_request"] = pr,
            }.ToJsonString()
        );
        return path;
    }

    private static Task<SuiteRun.Result> Check(string payload, string? config = null) =>
        SuiteRun.RunAsync(new Dictionary<string, string> { ["GITHUB_EVENT_PATH"] = payload },
            config is null ? ["--target=CheckPromotion"] : ["--target=CheckPromotion", $"--config={config}"]);

    [TestCase("dev", "staging")]
    [TestCase("staging", "main")]
    [TestCase("feature/login", "dev")]
    public async Task A_pull_request_along_the_chain_passes(string head, string @base)
    {
        var run = await Check(Payload(head, @base));
        run.ExitCode.Should().Be(0, run.All);
    }

    [TestCase("dev", "main", "into 'main' (production) must come from 'staging'")]
    [TestCase("feature/login", "staging", "into 'staging' (staging) must come from 'dev'")]
    public async Task A_pull_request_that_skips_a_step_fails_naming_the_rule(string head, string @base, string rule)
    {
        var run = await Check(Payload(head, @base));
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain(rule).And.Contain($"merges '{head}' into '{@base}'");
    }

    [Test]
    public async Task A_forks_branch_named_staging_is_not_staging()
    {
        var run = await Check(Payload("staging", "main", headRepo: "stranger/muva-chat"));
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("the fork stranger/muva-chat").And.Contain("must come from 'staging'");
    }

    [Test]
    public async Task The_rules_come_from_the_branch_fields()
    {
        var config = TestConfiguration.Write(_folder, json =>
        {
            json["environments"]!["staging"]!["branch"] = "release";
            json["environments"]!["production"]!["branch"] = "prod";
            json.Remove("github"); // its protection names the shipped branches
        });
        (await Check(Payload("release", "prod"), config)).ExitCode.Should().Be(0);
        var wrong = await Check(Payload("staging", "prod"), config);
        wrong.ExitCode.Should().Be(1);
        wrong.Error.Should().Contain("into 'prod' (production) must come from 'release'");
    }

    [Test]
    public async Task Without_a_payload_it_says_where_it_looks()
    {
        var run = await SuiteRun.RunAsync(null, "--target=CheckPromotion");
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("GITHUB_EVENT_PATH");
    }
}
