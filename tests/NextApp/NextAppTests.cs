using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Build.Deploy;
using Build.Packaging;
using Build.Tests.Deploy;
using Build.Tests.Infrastructure;

namespace Build.Tests.NextApp;

/// <summary>
/// The real examples/next-app: its staging artifact's browser bundle talks to staging only, and it deploys over the
/// loopback sshd to PM2 behind Nginx, where its health routes answer the commit and its static assets and public/ are
/// served after the switch.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class NextAppTests
{
    [GeneratedRegex("/_next/static/[^\"'\\s]+\\.(js|css)")] private static partial Regex StaticAsset();

    private static Dictionary<string, string> Entries(string artifact, Func<string, bool> wanted)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        using var gzip = new GZipStream(File.OpenRead(artifact), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (entry.DataStream is { } data && wanted(name)) found[name] = new StreamReader(data, Encoding.UTF8).ReadToEnd();
        }
        return found;
    }

    [Test]
    public async Task The_staging_artifacts_browser_bundle_holds_stagings_supabase_url_and_key_and_nothing_of_production()
    {
        var artifact = await NextAppBuild.StagingArtifactAsync();

        artifact.Environment.Should().Be("staging");
        artifact.SupabaseProjectRef.Should().Be(NextAppBuild.StagingRef);
        var bundle = Entries(artifact.Path, n => n.StartsWith(".next/static/", StringComparison.Ordinal) && n.EndsWith(".js", StringComparison.Ordinal));
        bundle.Should().NotBeEmpty("next build writes the browser chunks to .next/static");
        var all = string.Join("\n", bundle.Values);
        all.Should().Contain(NextAppBuild.StagingUrl, "Next.js inlines NEXT_PUBLIC_SUPABASE_URL into the page's client chunk")
            .And.Contain(NextAppBuild.StagingAnonKey)
            .And.NotContain(NextAppBuild.ProductionRef, "production's values were in the environment, not in staging's build");
        var files = Entries(artifact.Path, n => n is "server.js" or "public/logo.svg" or "manifest.json");
        files.Keys.Should().BeEquivalentTo(["server.js", "public/logo.svg", "manifest.json"], "a standalone release: server.js, public/ and the manifest at its root");
    }

    [Test]
    public async Task Deployed_over_ssh_after_the_small_app_it_starts_and_nginx_serves_its_health_routes_static_chunks_and_public_files()
    {
        var artifact = await NextAppBuild.StagingArtifactAsync();
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        // The standalone server does not send PM2's 'ready' (environments.json: waitReady false), and it starts slower
        // than the fixture on a busy machine.
        host.Settings = host.Settings with { WaitReady = false, HealthTimeoutSeconds = 90, ListenTimeoutSeconds = 90 };
        var progress = new List<string>();
        async Task<DeployResult> Ship(ReleaseArtifact release)
        {
            await using var connection = host.Connect();
            return await new DeployService([host.Target(connection)], line => { progress.Add(line); TestContext.Out.WriteLine(line); }, "tester@next-app")
                .DeployAsync(release);
        }

        await Ship(FixtureArtifacts.Build());
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await Ship(artifact);
        TestContext.Progress.WriteLine($"examples/next-app: deployed (start-up, on-host health check, switch) in {started.Elapsed.TotalSeconds:N1} s");

        (await host.ServedCommitEventuallyAsync(artifact.Commit)).Should().Be(artifact.Commit, "/api/health answers the commit of manifest.json");
        result.Hosts.Single().PreviousRelease.Should().NotBeNull("it replaced the small app: a switch");
        using var http = new HttpClient { BaseAddress = new Uri(host.Nginx.Url), Timeout = TimeSpan.FromSeconds(30) };

        var health = JsonDocument.Parse(await http.GetStringAsync("/api/health")).RootElement;
        health.GetProperty("status").GetString().Should().Be("ok");
        using (var db = await http.GetAsync("/api/health/db"))
        {
            db.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "shared/.env has no Supabase values on this host");
            var body = JsonDocument.Parse(await db.Content.ReadAsStringAsync()).RootElement;
            body.GetProperty("commit").GetString().Should().Be(artifact.Commit);
            body.GetProperty("status").GetString().Should().Be("error");
        }

        var page = await http.GetStringAsync("/");
        page.Should().Contain("muva-chat example");
        var assets = StaticAsset().Matches(page).Select(m => m.Value).Distinct().ToList();
        assets.Should().Contain(a => a.EndsWith(".js", StringComparison.Ordinal)).And.Contain(a => a.EndsWith(".css", StringComparison.Ordinal));
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
