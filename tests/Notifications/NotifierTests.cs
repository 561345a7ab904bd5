using System.Text.Json;
using Build.Notifications;
using Build.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Build.Tests.Notifications;

/// <summary>Slack and Discord cannot run here: a local WireMock fake stands in and checks what we send.</summary>
public class NotifierTests
{
    private WireMockServer _server = null!;

    [SetUp]
    public void StartFake()
    {
        _server = WireMockServer.Start();
        _server
            .Given(Request.Create().WithPath("/slack").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        _server
            .Given(Request.Create().WithPath("/discord").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(204));
    }

    [TearDown]
    public void StopFake() => _server.Stop();

    private Uri Url(string path) => new($"{_server.Urls[0]}{path}");

    private JsonElement Body(string path) =>
        JsonDocument
            .Parse(_server.LogEntries.Single(e => e.RequestMessage.Path == path).RequestMessage.Body!)
            .RootElement;

    [Test]
    public async Task Posts_text_to_Slack_and_content_to_Discord()
    {
        using var http = new HttpClient();
        var log = new List<string>();
        var problems = await new Notifier(http, log.Add).SendAsync("✅ DeployStaging on staging succeeded",
            [new NotificationChannel("slack", Url("/slack")), new NotificationChannel("discord", Url("/discord"))]);
        problems.Should().BeEmpty();
        Body("/slack").GetProperty("text").GetString().Should().Be("✅ DeployStaging on staging succeeded");
        Body("/discord").GetProperty("content").GetString().Should().Be("✅ DeployStaging on staging succeeded");
        _server
            .LogEntries.Should()
            .OnlyContain(e => e.RequestMessage.Headers!["Content-Type"].Single().StartsWith("application/json"));
        log.Should().Equal("Notified slack.", "Notified discord.");
    }

    private static readonly NotifierOptions Fast = new()
    {
        DefaultDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryAfter = TimeSpan.FromSeconds(5),
    };

    [Test]
    public async Task A_transient_failure_is_retried()
    {
        _server.Given(Request.Create().WithPath("/flaky").UsingPost()).InScenario("flaky").WillSetStateTo("second")
            .RespondWith(Response.Create().WithStatusCode(503));
        _server.Given(Request.Create().WithPath("/flaky").UsingPost()).InScenario("flaky").WhenStateIs("second")
            .RespondWith(Response.Create().WithStatusCode(200));
        using var http = new HttpClient();
        var problems = await new Notifier(http, _ => { }, Fast).SendAsync(
            "hello",
            [new NotificationChannel("slack", Url("/flaky"))]
        );
        problems.Should().BeEmpty();
        _server.LogEntries.Count(e => e.RequestMessage.Path == "/flaky").Should().Be(2);
    }

    [Test]
    public async Task A_429_is_retried_after_the_Retry_After_the_service_sends()
    {
        _server
            .Given(Request.Create().WithPath("/limited").UsingPost())
            .InScenario("rate")
            .WillSetStateTo("again")
            .RespondWith(
                Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody("{\"retry_after\":1}")
            );
        _server
            .Given(Request.Create().WithPath("/limited").UsingPost())
            .InScenario("rate")
            .WhenStateIs("again")
            .RespondWith(Response.Create().WithStatusCode(204));
        using var http = new HttpClient();
        var log = new List<string>();

        var problems = await new Notifier(http, log.Add, Fast).SendAsync(
            "hello",
            [new NotificationChannel("discord", Url("/limited"))]
        );

        problems.Should().BeEmpty();
        var posts = _server
            .LogEntries.Where(e => e.RequestMessage.Path == "/limited")
            .Select(e => e.RequestMessage.DateTime)
            .ToList();
        posts.Should().HaveCount(2);
        (posts[1] - posts[0])
            .Should()
            .BeGreaterThan(
                TimeSpan.FromMilliseconds(900),
                "the second post waits the Retry-After of 1 s, not the 50 ms default"
            );
        log.Should().Contain(l => l.StartsWith("discord: HTTP 429") && l.Contains("retrying in 1 s (attempt 2 of 4)"));
    }

    [Test]
    public async Task Retries_are_bounded_and_a_Retry_After_beyond_the_cap_is_not_waited_for()
    {
        _server.Given(Request.Create().WithPath("/always429").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0"));
        _server.Given(Request.Create().WithPath("/wait-an-hour").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "3600"));
        using var http = new HttpClient();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var problems = await new Notifier(http, _ => { }, Fast).SendAsync(
            "hello",
            [
                new NotificationChannel("slack", Url("/always429")),
                new NotificationChannel("discord", Url("/wait-an-hour")),
            ]
        );

        problems.Should().Equal(
            "slack: HTTP 429 Too Many Requests after 4 attempts",
            "discord: HTTP 429 Too Many Requests asking to retry after 3600 s, longer than the 5 s a run waits");
        _server.LogEntries.Count(e => e.RequestMessage.Path == "/always429").Should().Be(4);
        _server.LogEntries.Count(e => e.RequestMessage.Path == "/wait-an-hour").Should().Be(1);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task An_undeliverable_notice_is_reported_without_the_webhook_url_and_never_thrown()
    {
        using var http = new HttpClient();
        var problems = await new Notifier(http, _ => { }).SendAsync(
            "hello",
            [new NotificationChannel("slack", Url("/gone"))]
        );
        problems.Should().ContainSingle().Which.Should().Be("slack: HTTP 404 Not Found");
    }

    [Test]
    public void A_failure_notice_says_where_what_which_commit_the_failing_task_and_links_the_run()
    {
        var notice = new Notice
        {
            Environment = "production",
            Target = "DeployProduction",
            Succeeded = false,
            Commit = "0123456789abcdef0123456789abcdef01234567",
            Duration = TimeSpan.FromSeconds(95),
            FailedTask = "VerifyDeploy",
            Error = "wrong commit",
            Migrations = ["20250301090300_message_edits.sql"],
            Backup = "production-20261129T0010Z.dump (1.2 MB)",
            Approver = "the 'production' GitHub environment's reviewers (run started by octocat)",
            RunUrl = "https://github.com/muva-chat/muva-chat/actions/runs/42", AppUrl = "https://muva.chat",
        };

        notice
            .Text()
            .Should()
            .Be(
                "❌ DeployProduction on production FAILED at 0123456 in 1 min 35 s\n"
                    + "Failed task: VerifyDeploy: wrong commit\n"
                    + "Migrations applied: 1 (20250301090300_message_edits.sql)\n"
                    + "Backup: production-20261129T0010Z.dump (1.2 MB)\n"
                    + "Approved by: the 'production' GitHub environment's reviewers (run started by octocat)\n"
                    + "Commit: 0123456789abcdef0123456789abcdef01234567\n"
                    + "Run: https://github.com/muva-chat/muva-chat/actions/runs/42\n"
                    + "App: https://muva.chat"
            );
        (notice with { Succeeded = true, FailedTask = null, Error = null, Migrations = [] })
            .Text()
            .Should()
            .StartWith(
                "✅ DeployProduction on production succeeded at 0123456 in 1 min 35 s\nMigrations applied: none\n"
            );
    }

    [Test]
    public async Task The_Notify_target_posts_to_the_environments_channel_and_masks_the_webhook()
    {
        var webhook = Url("/slack").ToString();
        var variables = new Dictionary<string, string> { ["SLACK_WEBHOOK_URL"] = webhook };
        // A message that carries the webhook itself (pasted by mistake): it must not reach the channel or the console.
        string[] args = ["--target=Notify", "--env=staging", $"--message=Maintenance at 03:00 UTC, hook {webhook}"];

        var unmasked = await SuiteRun.RunUnmaskedAsync(variables, args);
        unmasked.ExitCode.Should().Be(0, unmasked.All);
        Texts()
            .Should()
            .ContainSingle()
            .Which.Should()
            .Contain(webhook, "without the masker the webhook reaches the channel: this test can fail");
        _server.ResetLogEntries();

        var run = await SuiteRun.RunAsync(variables, args);
        run.ExitCode.Should().Be(0, run.All);
        Texts().Should().Equal("Maintenance at 03:00 UTC, hook ***");
        run.All.Should().NotContain(webhook);
    }

    [Test]
    public async Task The_Notify_target_delivers_the_exact_message_to_Slack_and_Discord_and_reports_each_delivery()
    {
        // production announces on both channels; the message keeps its lines, quotes and emoji exactly.
        var variables = new Dictionary<string, string>
        {
            ["SLACK_WEBHOOK_URL"] = Url("/slack").ToString(), ["DISCORD_WEBHOOK_URL"] = Url("/discord").ToString(),
        };
        const string message = "✅ Maintenance done on production\nDowntime: none\nBy: \"ops\" <on-call>";

        var run = await SuiteRun.RunAsync(variables, "--target=Notify", "--env=production", $"--message={message}");

        run.ExitCode.Should().Be(0, run.All);
        var slack = _server
            .LogEntries.Should()
            .ContainSingle(e => e.RequestMessage.Path == "/slack")
            .Subject.RequestMessage;
        var discord = _server
            .LogEntries.Should()
            .ContainSingle(e => e.RequestMessage.Path == "/discord")
            .Subject.RequestMessage;
        _server.LogEntries.Should().HaveCount(2, "one post per channel, no retry after a success");
        slack.Method.Should().Be("POST");
        slack.Headers!["Content-Type"].Single().Should().StartWith("application/json");
        discord.Headers!["Content-Type"].Single().Should().StartWith("application/json");
        // The whole body, field by field: Slack reads exactly "text", Discord exactly "content", nothing else is sent.
        JsonDocument.Parse(slack.Body!).RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString()))
            .Should().Equal([("text", message)]);
        JsonDocument.Parse(discord.Body!).RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString()))
            .Should().Equal([("content", message)]);
        run.Out.Should().Contain("Notified slack.").And.Contain("Notified discord.");
        run.Out.Should().MatchRegex(@"Notify\s+\S+\s+Succeeded");
    }

    [Test]
    public async Task The_Notify_target_fails_naming_a_channel_it_could_not_reach_after_delivering_to_the_other()
    {
        var variables = new Dictionary<string, string>
        {
            ["SLACK_WEBHOOK_URL"] = Url("/slack").ToString(), ["DISCORD_WEBHOOK_URL"] = Url("/discord-gone").ToString(),
        };

        var run = await SuiteRun.RunAsync(variables, "--target=Notify", "--env=production", "--message=hello");

        run.ExitCode.Should().NotBe(0, "a notice that did not reach a channel is not a success");
        run.All.Should().Contain("Could not notify: discord: HTTP 404 Not Found").And.Contain("Notified slack.");
        Body("/slack").GetProperty("text").GetString().Should().Be("hello");
    }

    private IEnumerable<string?> Texts() => _server.LogEntries.Where(e => e.RequestMessage.Path == "/slack")
        .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("text").GetString());

    [Test]
    public async Task A_failed_deploy_announces_its_failure_on_the_channel()
    {
        var run = await SuiteRun.RunAsync(
            new Dictionary<string, string> { ["SLACK_WEBHOOK_URL"] = Url("/slack").ToString() },
            "--target=DeployStaging"
        );
        run.ExitCode.Should().Be(1);
        var text = Body("/slack").GetProperty("text").GetString();
        text.Should()
            .StartWith("❌ DeployStaging on staging FAILED")
            .And.Contain("needs secrets that are not set: STAGING_DATABASE_URL")
            .And.NotContain(": :", "a failure before any task names no task");
    }

    /// <summary>A staging run as GitHub Actions would make it, with a database that refuses connections.</summary>
    private static Dictionary<string, string> GitHubRun(string webhook) => new()
    {
        ["SLACK_WEBHOOK_URL"] = webhook,
        ["STAGING_DATABASE_URL"] = "postgresql://postgres:hunter2-database-password@127.0.0.1:1/postgres",
        ["GITHUB_SERVER_URL"] = "https://github.com",
        ["GITHUB_REPOSITORY"] = "muva-chat/muva-chat",
        ["GITHUB_RUN_ID"] = "4242",
        ["GITHUB_SHA"] = "89abcdef0123456789abcdef0123456789abcdef",
    };

    [Test]
    public async Task ApplyMigrations_announces_its_own_failure_with_the_failing_task_the_error_and_the_run_link()
    {
        // staging's database refuses connections: the backup before ApplyMigrations (or ApplyMigrations) fails.
        var run = await SuiteRun.RunAsync(
            GitHubRun(Url("/slack").ToString()),
            "--target=ApplyMigrations",
            "--env=staging"
        );

        run.ExitCode.Should().NotBe(0, run.All);
        var text = Body("/slack").GetProperty("text").GetString()!;
        text.Should().StartWith("❌ ApplyMigrations on staging FAILED at 89abcde")
            .And.MatchRegex("\nFailed task: (CheckMigrations|BackupDb|ApplyMigrations): Cannot connect .+")
            .And.Contain("\nRun: https://github.com/muva-chat/muva-chat/actions/runs/4242")
            .And.NotContain("hunter2");
    }

    [Test]
    public async Task RollbackMigrations_announces_its_failure_too()
    {
        var run = await SuiteRun.RunAsync(
            GitHubRun(Url("/slack").ToString()),
            "--target=RollbackMigrations",
            "--env=staging",
            "--steps=1"
        );

        run.ExitCode.Should().NotBe(0, run.All);
        Body("/slack")
            .GetProperty("text")
            .GetString()
            .Should()
            .StartWith("❌ RollbackMigrations on staging FAILED")
            .And.MatchRegex("Failed task: (CheckMigrations|BackupDb|RollbackMigrations): .+");
    }

    [Test]
    public async Task A_notification_that_cannot_be_delivered_never_hides_a_failure_and_never_fails_the_run()
    {
        _server
            .Given(Request.Create().WithPath("/down").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(500));
        DeployNotifications.Options = new NotifierOptions
        {
            MaxAttempts = 2,
            DefaultDelay = TimeSpan.FromMilliseconds(10),
        };
        try
        {
            var run = await SuiteRun.RunAsync(
                GitHubRun(Url("/down").ToString()),
                "--target=ApplyMigrations",
                "--env=staging"
            );

            run.ExitCode.Should().NotBe(0, "the run failed, whatever happened to its notification");
            run.All.Should()
                .Contain("Notification not delivered: slack: HTTP 500 Internal Server Error after 2 attempts")
                .And.Contain("Error: Cannot connect to the database", "the run's own failure is still reported");
        }
        finally
        {
            DeployNotifications.Options = new NotifierOptions();
        }
    }
}
