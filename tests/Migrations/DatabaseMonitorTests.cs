using System.Diagnostics;
using System.Text.Json.Nodes;
using Build.Migrations.Database;
using Build.Monitoring;
using Build.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Build.Tests.Migrations;

/// <summary>
/// Monitor and MonitorReport against a real app (tests/fixtures/app under node) that goes down and comes back, with
/// the probes recorded in a real PostgreSQL and the alerts going to a fake Slack (WireMock).
/// </summary>
[NonParallelizable]
public sealed class DatabaseMonitorTests
{
    private const string Commit = "5555555555555555555555555555555555555555";
    private WireMockServer _slack = null!;
    private Process? _app;
    private int _port;
    private string _folder = null!;

    [SetUp]
    public void SetUp()
    {
        Require.Tool("node");
        _slack = WireMockServer.Start();
        _slack.Given(Request.Create().WithPath("/slack").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        _port = Ports.Free();
        _folder = Directory.CreateTempSubdirectory("monitor-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        StopApp();
        _slack.Stop();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task StartAppAsync()
    {
        var start = new ProcessStartInfo("node", Path.Combine(Require.RepositoryRoot, "tests/fixtures/app/server.js")) { UseShellExecute = false };
        start.Environment["PORT"] = _port.ToString();
        start.Environment["RELEASE_COMMIT"] = Commit;
        _app = Process.Start(start)!;
        // Up to 60 s: a loaded 2-core machine can take long to start node; the wait ends as soon as it answers.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60) && !_app.HasExited)
        {
            try { if ((await http.GetAsync(Url)).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        Assert.Fail($"the fixture app (node tests/fixtures/app/server.js) did not answer 200 at {Url} within 60 s"
            + (_app.HasExited ? $": it exited with code {_app.ExitCode}" : ""));
    }

    private void StopApp()
    {
        if (_app is null) return;
        if (!_app.HasExited) { _app.Kill(); _app.WaitForExit(10_000); }
        _app.Dispose();
        _app = null;
    }

    private string Url => $"http://127.0.0.1:{_port}/api/health";

    private IReadOnlyList<string> Alerts() =>
        _slack.LogEntries.Select(e => System.Text.Json.JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("text").GetString()!).ToList();

    [Test]
    public async Task An_app_that_goes_down_and_comes_back_gets_one_alert_each_way_and_the_report_computes_uptime_from_the_records()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync("monitor");
        var config = TestConfiguration.Write(_folder, json => json["environments"]!["local"]!["notifications"] = new JsonObject { ["channels"] = new JsonArray("slack") });
        var variables = new Dictionary<string, string> { ["LOCAL_DATABASE_URL"] = DatabaseUrl.ToUrl(db), ["SLACK_WEBHOOK_URL"] = $"{_slack.Urls[0]}/slack" };
        async Task<SuiteRun.Result> Monitor()
        {
            var run = await SuiteRun.RunAsync(variables, $"--config={config}", "--target=Monitor", "--env=local", $"--url={Url}", "--alert-after=2");
            run.ExitCode.Should().Be(0, "a failed probe is recorded and alerted, not a failed run: " + run.All);
            return run;
        }

        await StartAppAsync();
        await Monitor();
        StopApp();
        var firstFailure = await Monitor();
        firstFailure.Out.Should().Contain("1 of 2 consecutive failures before an alert");
        Alerts().Should().BeEmpty("one failed probe wakes nobody");
        await Monitor();
        Alerts().Should().ContainSingle().Which.Should().StartWith($"🔴 local: {Url} is DOWN since ").And.Contain("(2 consecutive failed probes): cannot connect");
        await Monitor();
        Alerts().Should().HaveCount(1, "still down: already announced");
        await StartAppAsync();
        await Monitor();
        await Monitor();
        Alerts().Should().HaveCount(2);
        Alerts()[1].Should().StartWith($"🟢 local: {Url} is back UP at ").And.Contain("down (since ");

        var report = await SuiteRun.RunAsync(variables, $"--config={config}", "--target=MonitorReport", "--env=local", "--since=1h", "--alert-after=2");
        report.ExitCode.Should().Be(0, report.All);
        report.Out.Should().Contain("Uptime of local from").And.Contain(": 50.00 % (goal 95.00 %: NOT met), 6 probes")
            .And.Contain($"{Url}: 50.00 % of 6 probes, latency p50 ").And.Contain("1 incident(s)")
            .And.MatchRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d -> \d{4}-\d\d-\d\d \d\d:\d\d \(.*, 3 failed probes\): cannot connect");
        (await TestDatabase.ScalarAsync(db, "select count(*) from release_monitor.probes")).Should().Be(6L);
    }

    [Test]
    public void The_report_counts_uptime_percentiles_and_incidents_from_probes_alone()
    {
        var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var url = "https://muva.chat/api/health";
        ProbeRecord Probe(int minute, bool ok, int? ms = null) => new(url, t0.AddMinutes(minute), ok, ok ? 200 : 503, ok ? ms : null, ok ? null : "HTTP 503");
        var probes = new List<ProbeRecord>();
        for (var i = 0; i < 20; i++) probes.Add(Probe(i * 5, ok: i is not (5 or 10 or 11 or 12), ms: 10 + i));

        var report = UptimeReport.From("production", probes, t0, t0.AddHours(2), failuresBeforeAlert: 3);

        report.UptimePercent.Should().Be(80.0);
        report.MeetsGoal.Should().BeFalse();
        var single = report.Urls.Single();
        single.Incidents.Should().ContainSingle("a lone failed probe is a blip, three in a row an incident")
            .Which.Should().Be(new Incident(url, t0.AddMinutes(50), t0.AddMinutes(65), 3, "HTTP 503"));
        single.P50Ms.Should().Be(18);
        single.P95Ms.Should().Be(29);
        report.ToMarkdown().Should().Contain("### Uptime of `production`: 80.00 % ❌ (goal 95.00 %)").And.Contain("| 15 min 0 s |");
    }
}
