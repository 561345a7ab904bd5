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
        _server.Given(Request.Create().WithPath("/slack").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        _server.Given(Request.Create().WithPath("/discord").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
    }

    [TearDown]
    public void StopFake() => _server.Stop();

    private Uri Url(string path) => new($"{_server.Urls[0]}{path}");

    private JsonElement Body(string path) =>
        JsonDocument.Parse(_server.LogEntries.Single(e => e.RequestMessage.Path == path).RequestMessage.Body!).RootElement;

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
        _server.LogEntries.Should().OnlyContain(e => e.RequestMessage.Headers!["Content-Type"].Single().StartsWith("application/json"));
        log.Should().Equal("Notified slack.", "Notified discord.");
    }

    [Test]
    public async Task A_transient_failure_is_retried_once()
    {
        _server.Given(Request.Create().WithPath("/flaky").UsingPost()).InScenario("flaky").WillSetStateTo("second")
            .RespondWith(Response.Create().WithStatusCode(503));
        _server.Given(Request.Create().WithPath("/flaky").UsingPost()).InScenario("flaky").WhenStateIs("second")
            .RespondWith(Response.Create().WithStatusCode(200));
        using var http = new HttpClient();
        var problems = await new Notifier(http, _ => { }).SendAsync("hello", [new NotificationChannel("slack", Url("/flaky"))]);
        problems.Should().BeEmpty();
        _server.LogEntries.Count(e => e.RequestMessage.Path == "/flaky").Should().Be(2);
    }

    [Test]
    public async Task An_undeliverable_notice_is_reported_without_the_webhook_url_and_never_thrown()
    {
        using var http = new HttpClient();
        var problems = await new Notifier(http, _ => { }).SendAsync("hello", [new NotificationChannel("slack", Url("/gone"))]);
        problems.Should().ContainSingle().Which.Should().Be("slack: HTTP 404 Not Found");
    }

    [Test]
    public void A_notice_reads_well()
    {
        new Notice("staging", "DeployStaging", false, "0123456789abcdef", TimeSpan.FromSeconds(42), "VerifyDeploy: wrong commit", "https://staging.muva.chat").Text()
            .Should().Be("❌ DeployStaging on staging FAILED (commit 0123456) in 42 s: VerifyDeploy: wrong commit — https://staging.muva.chat");
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
        Texts().Should().ContainSingle().Which.Should().Contain(webhook, "without the masker the webhook reaches the channel: this test can fail");
        _server.ResetLogEntries();

        var run = await SuiteRun.RunAsync(variables, args);
        run.ExitCode.Should().Be(0, run.All);
        Texts().Should().Equal("Maintenance at 03:00 UTC, hook ***");
        run.All.Should().NotContain(webhook);
    }

    private IEnumerable<string?> Texts() => _server.LogEntries.Where(e => e.RequestMessage.Path == "/slack")
        .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("text").GetString());

    [Test]
    public async Task A_failed_deploy_announces_its_failure_on_the_channel()
    {
        var run = await SuiteRun.RunAsync(new Dictionary<string, string> { ["SLACK_WEBHOOK_URL"] = Url("/slack").ToString() },
            "--target=DeployStaging");
        run.ExitCode.Should().Be(1);
        var text = Body("/slack").GetProperty("text").GetString();
        text.Should().StartWith("❌ DeployStaging on staging FAILED").And.Contain("needs secrets that are not set: STAGING_DATABASE_URL")
            .And.NotContain(": :", "a failure before any task names no task");
    }
}
