using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Build.Tests.Infrastructure;

namespace Build.Tests.Rehearsal;

/// <summary>
/// The README's rehearsal, end to end and in-process: Deploy --env=local validates, replays and applies the
/// migrations on the local PostgreSQL, packs tests/fixtures/app (instead of examples/next-app, for speed) with the real
/// PackageApp, deploys it with real PM2, and health-checks the commit; a second deploy moves to the other color;
/// CleanLocal stops it all. The release folder, PM2 home and ports come from a copy of the configuration, so a
/// developer's own rehearsal is untouched.
/// </summary>
public class LocalRehearsalTests
{
    private string _root = null!;
    private string _config = null!;
    private int[] _ports = null!;

    [SetUp]
    public void MakeConfiguration()
    {
        Require.Tool("node");
        Require.Service(File.Exists(Path.Combine(Require.RepositoryRoot, "node_modules/.bin/pm2")), "PM2 (npm ci)");
        _root = Directory.CreateTempSubdirectory("rehearsal-").FullName;
        _ports = [Ports.Free(), Ports.Free()];
        _config = TestConfiguration.Write(_root, json =>
        {
            var vps = json["environments"]!["local"]!["vps"]!;
            vps["basePath"] = Path.Combine(_root, "www");
            vps["pm2Home"] = Path.Combine(_root, "pm2");
            vps["ports"] = new JsonArray(_ports[0], _ports[1]);
            json["environments"]!["local"]!["publicUrl"] = $"http://127.0.0.1:{_ports[0]}";
            // The small Node fixture keeps this test fast; NextAppTests builds and deploys the real examples/next-app.
            json["environments"]!["local"]!["app"] = new JsonObject
            {
                ["path"] = "tests/fixtures/app",
                ["buildCommand"] = "",
                ["pack"] = new JsonObject { ["server.js"] = "server.js" },
                ["entry"] = "server.js",
            };
        });
    }

    [TearDown]
    public async Task StopEverything()
    {
        await SuiteRun.RunAsync(null, "--target=CleanLocal", $"--config={_config}");
        Directory.Delete(_root, recursive: true);
    }

    private static async Task<string> Get(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync($"http://127.0.0.1:{port}/api/health");
    }

    [Test]
    public async Task Deploy_on_local_ships_the_commit_then_a_second_deploy_moves_to_the_other_port_and_CleanLocal_stops_it()
    {
        const string first = "1111111111111111111111111111111111111111";
        const string second = "2222222222222222222222222222222222222222";

        var run = await SuiteRun.RunAsync(
            null,
            "--target=Deploy",
            "--env=local",
            $"--config={_config}",
            $"--commit={first}"
        );
        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should()
            .MatchRegex(@"ApplyMigrations\s+\S+\s+Succeeded")
            .And.MatchRegex(@"VerifyDeploy\s+\S+\s+Succeeded");
        (await Get(_ports[0])).Should().Contain(first);

        run = await SuiteRun.RunAsync(
            null,
            "--target=Deploy",
            "--env=local",
            $"--config={_config}",
            $"--commit={second}"
        );
        run.ExitCode.Should().Be(0, run.All);
        (await Get(_ports[1])).Should().Contain(second);
        File.ReadAllLines(Path.Combine(_root, "www", "revisions.log")).Should().HaveCount(2);

        run = await SuiteRun.RunAsync(null, "--target=CleanLocal", $"--config={_config}");
        run.ExitCode.Should().Be(0, run.All);
        var act = () => Get(_ports[1]);
        await act.Should().ThrowAsync<HttpRequestException>("the rehearsal's processes are stopped");
    }

    [Test]
    public async Task A_failed_verification_rolls_back_and_fails_the_run_even_when_OnError_handles_errors_as_in_Cake_Frosting()
    {
        const string good = "3333333333333333333333333333333333333333";
        const string bad = "4444444444444444444444444444444444444444";
        var run = await SuiteRun.RunAsync(
            null,
            "--target=Deploy",
            "--env=local",
            $"--config={_config}",
            $"--commit={good}"
        );
        run.ExitCode.Should().Be(0, run.All);

        // The health URL answers nothing: verification fails after the switch to the new color.
        var nowhere = $"http://127.0.0.1:{Ports.Free()}/api/health";
        run = await SuiteRun.RunAsFrostingAsync(
            null,
            "--target=Deploy",
            "--env=local",
            $"--config={_config}",
            $"--commit={bad}",
            $"--url={nowhere}",
            "--timeout=2"
        );

        run.ExitCode.Should()
            .NotBe(0, "a failed verification is a failed run, whatever the host does with OnError\n" + run.All);
        run.Out.Should().MatchRegex(@"VerifyDeploy\s+\S+\s+Failed");
        run.All.Should().Contain("Rolled back:");
        (await Get(_ports[0])).Should().Contain(good, "the old color serves again");
    }
}
