using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Build.Deploy;
using Build.Packaging;
using Build.Tests.NextApp;

namespace Build.Tests.Deploy;

/// <summary>
/// The real examples/next-app (the cached staging build of NextAppBuild) deployed over the loopback sshd to PM2 behind
/// Nginx, replacing the small fixture app: its real start-up, its health routes answering the commit, and its
/// .next/static chunks and public/ files served through Nginx after the switch.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class NextAppDeployTests
{
    [GeneratedRegex("/_next/static/[^\"'\\s]+\\.(js|css)")] private static partial Regex StaticAsset();

    [Test]
    public async Task Deployed_over_ssh_after_the_small_app_it_starts_and_nginx_serves_its_health_routes_static_chunks_and_public_files()
    {
        var artifact = await NextAppBuild.StagingArtifactAsync();
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        // The standalone server does not send PM2's 'ready' (environments.json: waitReady false), and it starts slower
        // than the fixture on a busy machine.
        host.Settings = host.Settings with { WaitReady = false, HealthTimeoutSeconds = 90, ListenTimeoutSeconds = 90 };
        var deploy = new DeployRunner("tester@next-app");

        await deploy.DeployAsync(host, FixtureArtifacts.Build());
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await deploy.DeployAsync(host, artifact);
        TestContext.Progress.WriteLine(
            "examples/next-app: deployed (start-up, on-host health check, switch) in " +
            $"{started.Elapsed.TotalSeconds:N1} s"
        );

        (await host.ServedCommitEventuallyAsync(artifact.Commit))
            .Should()
            .Be(artifact.Commit, "/api/health answers the commit of manifest.json");
        result.Hosts.Single().PreviousRelease.Should().NotBeNull("it replaced the small app: a switch");
        using var http = new HttpClient { BaseAddress = new Uri(host.Nginx.Url), Timeout = TimeSpan.FromSeconds(30) };

        var health = JsonDocument.Parse(await http.GetStringAsync("/api/health")).RootElement;
        health.GetProperty("status").GetString().Should().Be("ok");
        using (var db = await http.GetAsync("/api/health/db"))
        {
            db.StatusCode.Should()
                .Be(HttpStatusCode.ServiceUnavailable, "shared/.env has no Supabase values on this host");
            var body = JsonDocument.Parse(await db.Content.ReadAsStringAsync()).RootElement;
            body.GetProperty("commit").GetString().Should().Be(artifact.Commit);
            body.GetProperty("status").GetString().Should().Be("error");
        }

        var page = await http.GetStringAsync("/");
        page.Should().Contain("muva-chat example");
        var assets = StaticAsset().Matches(page).Select(m => m.Value).Distinct().ToList();
        assets
            .Should()
            .Contain(a => a.EndsWith(".js", StringComparison.Ordinal))
            .And.Contain(a => a.EndsWith(".css", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await http.GetAsync(asset);
            response.StatusCode.Should().Be(HttpStatusCode.OK, $"{asset} is in .next/static of the release");
        }
        (await http.GetStringAsync("/logo.svg")).Should().StartWith("<svg");
        (await http.GetStringAsync("/robots.txt")).Should().Contain("Disallow");
        host.Pm2Apps().Should().ContainSingle().Which.Status.Should().Be("online");
    }
}
