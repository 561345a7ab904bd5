using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Build.Health;
using Build.Tests.Infrastructure;

namespace Build.Tests.Health;

[TestFixture]
public sealed class HealthCheckerTests
{
    private const string OtherCommit = "abc1234def567890abc1234def567890abc12345";
    // A check that passes ends at its healthy answer: its deadline and attempt timeout only bound a hang, so a loaded
    // machine's slow answer is never taken for a failure (3 s / 2 s were). Short delays; the defaults are 0.5 s / 4 s.
    private static readonly HealthCheckOptions Quick = new()
    {
        Deadline = TimeSpan.FromSeconds(60),
        AttemptTimeout = TimeSpan.FromSeconds(30),
        FirstDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromMilliseconds(400),
    };

    // A check meant to fail lasts until its deadline: short, so that the test stays a few seconds.
    private static readonly HealthCheckOptions UntilDeadline = Quick with
    {
        Deadline = TimeSpan.FromSeconds(3),
        AttemptTimeout = TimeSpan.FromSeconds(2),
    };

    private HttpClient _http = null!;
    private List<string> _log = null!;

    [SetUp]
    public void SetUp()
    {
        Require.Tool("node");
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _log = [];
    }

    [TearDown]
    public void TearDown() => _http.Dispose();

    private Task<HealthReport> Check(string expectedCommit, HealthCheckOptions? options = null, params Uri[] urls) =>
        new HealthChecker(
            _http,
            line =>
            {
                lock (_log)
                    _log.Add(line);
            }
        ).CheckAsync(urls, expectedCommit, options ?? Quick);

    [Test]
    public async Task A_healthy_release_serving_the_expected_commit_passes_with_its_latency()
    {
        var report = await Check(HealthServer.Commit, urls: HealthServer.App("/api/health"));

        report.Healthy.Should().BeTrue(report.Describe());
        var url = report.Urls.Single();
        url.Attempts.Should().Be(1);
        url.ReportedCommit.Should().Be(HealthServer.Commit);
        url.Latencies.Should().ContainSingle();
        url.Describe().Should().Contain("healthy after 1 attempt(s), commit 9f8e7d6; latency min ");
    }

    [Test]
    public async Task The_abbreviated_expected_commit_matches_the_full_one_reported()
    {
        var report = await Check(HealthServer.Commit[..7], urls: HealthServer.App("/api/health"));

        report.Healthy.Should().BeTrue(report.Describe());
    }

    [Test]
    public async Task An_old_release_still_answering_fails_naming_both_commits()
    {
        var report = await Check(OtherCommit, UntilDeadline, HealthServer.App("/api/health"));

        report.Healthy.Should().BeFalse();
        var url = report.Urls.Single();
        url.Failure.Should().Contain("wrong commit: expected abc1234, got 9f8e7d6");
        url.Attempts.Should()
            .BeGreaterThan(1, "the new release may not have taken over yet, so it keeps asking until the deadline");
    }

    [Test]
    public async Task Errors_while_starting_are_retried_until_healthy()
    {
        var key = Guid.NewGuid().ToString("N");

        var report = await Check(HealthServer.Commit, urls: HealthServer.Scenario($"/flaky/{key}?failures=3"));

        report.Healthy.Should().BeTrue(report.Describe());
        report.Urls.Single().Attempts.Should().Be(4);
        report.Urls.Single().Latencies.Should().HaveCount(4);
        _log.Should().HaveCount(3).And.AllSatisfy(line => line.Should().Contain("HTTP 500").And.Contain("retrying in"));
    }

    [Test]
    public async Task A_never_healthy_url_fails_at_the_deadline_not_before_while_the_healthy_one_passes()
    {
        var watch = Stopwatch.StartNew();

        var report = await Check(
            HealthServer.Commit,
            UntilDeadline,
            HealthServer.App("/api/health/db"), HealthServer.UnhealthyApp("/api/health")
        );

        watch.Elapsed.Should().BeGreaterThanOrEqualTo(UntilDeadline.Deadline - TimeSpan.FromMilliseconds(50));
        report.Healthy.Should().BeFalse();
        report.Urls[0].Healthy.Should().BeTrue();
        var never = report.Urls[1];
        never.Healthy.Should().BeFalse();
        never.Attempts.Should().BeGreaterThan(2);
        never
            .Failure.Should()
            .Contain("HTTP 503 ServiceUnavailable")
            .And.Contain("this build is marked unhealthy")
            .And.Contain("at the 3 s deadline");
        report.Failures.Should().ContainSingle().Which.Url.Should().Be(HealthServer.UnhealthyApp("/api/health"));
        report.ToMarkdown().Should().Contain("Health check FAILED").And.Contain("this build is marked unhealthy");
    }

    [Test]
    public async Task A_page_that_is_not_json_fails_with_an_excerpt_of_it()
    {
        var report = await Check(
            HealthServer.Commit,
            UntilDeadline,
            HealthServer.Scenario("/text")
        );

        report
            .Urls.Single()
            .Failure.Should()
            .Contain("HTTP 200 but the body is not JSON: <html><body><h1>Welcome to nginx!</h1>");
    }

    [Test]
    public async Task Nothing_listening_fails_with_the_connection_error()
    {
        var closedPort = Infrastructure.Ports.Free();

        var report = await new HealthChecker(_http, _ => { }).CheckAsync(
            [new Uri($"http://127.0.0.1:{closedPort}/api/health")],
            HealthServer.Commit,
            UntilDeadline
        );

        report.Urls.Single().Failure.Should().Contain($"cannot connect to 127.0.0.1:{closedPort}: ConnectionRefused");
        report.Urls.Single().Latencies.Should().BeEmpty();
    }
}

[TestFixture]
public sealed class HealthVerdictTests
{
    private const string Sha = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";

    [TestCase(Sha, Sha, true)]
    [TestCase("9F8E7D6", Sha, true)]
    [TestCase(Sha, "9f8e7d6", true)]
    [TestCase(Sha, "9f8e7d6c5b4a39281706f5e4d3c2b1a098765433", false)]
    [TestCase("9f8e7d", Sha, false)]
    [TestCase("9f8e7d6", Sha + "-dirty", false)]
    [TestCase(Sha + "-dirty", Sha + "-dirty", true)]
    public void Commits_match_in_full_or_abbreviated_form_but_a_dirty_build_never_passes_for_a_clean_one(
        string expected,
        string reported,
        bool match
    ) => HealthEndpoint.CommitsMatch(expected, reported).Should().Be(match);

    [Test]
    public void A_status_other_than_ok_fails_even_with_http_200() =>
        HealthEndpoint.Judge(HttpStatusCode.OK, """{"status":"degraded","commit":"9f8e7d6"}""", Sha).Failure
            .Should().StartWith("status is \"degraded\", not \"ok\"");

    [Test]
    public void A_body_without_a_commit_fails_when_one_is_expected() =>
        HealthEndpoint
            .Judge(HttpStatusCode.OK, """{"status":"ok"}""", Sha)
            .Failure.Should()
            .StartWith("the body has no \"commit\" (expected 9f8e7d6)");
}
