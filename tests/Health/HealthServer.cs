using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Build.Tests.Infrastructure;

namespace Build.Tests.Health;

/// <summary>
/// Real Node servers for the Health tests, started once and stopped by PID: the deploy fixture app
/// (tests/fixtures/app/server.js, the same health contract as the Next.js routes) healthy at <see cref="Commit"/> and
/// marked unhealthy, plus Fixtures/health-scenarios.js for answers that app never gives (errors then ok, HTML).
/// </summary>
[SetUpFixture]
public sealed class HealthServer
{
    public const string Commit = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
    private static readonly List<Process> Started = [];
    private static Uri? _app, _unhealthyApp, _scenarios;

    public static Uri App(string path) => new(_app ?? throw NotStarted(), path);
    public static Uri UnhealthyApp(string path) => new(_unhealthyApp ?? throw NotStarted(), path);
    public static Uri Scenario(string pathAndQuery) => new(_scenarios ?? throw NotStarted(), pathAndQuery);

    private static InvalidOperationException NotStarted() =>
        new("The Node health servers did not start (node missing?).");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (Require.FindOnPath("node") is not { } node) return; // each test calls Require.Tool("node") and reports it
        var app = Path.Combine(Require.RepositoryRoot, "tests/fixtures/app/server.js");
        _app = await StartAppAsync(node, app, new() { ["RELEASE_COMMIT"] = Commit });
        _unhealthyApp = await StartAppAsync(node, app, new() { ["RELEASE_COMMIT"] = Commit, ["APP_UNHEALTHY"] = "1" });
        _scenarios = await StartScenariosAsync(node);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        foreach (var process in Started)
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit(5000);
            process.Dispose();
        }
        Started.Clear();
    }

    private static Process Start(string node, string script, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(node, [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var process = Process.Start(start)!;
        Started.Add(process);
        return process;
    }

    private static async Task<Uri> StartAppAsync(string node, string script, Dictionary<string, string> environment)
    {
        var port = Infrastructure.Ports.Free();
        environment["PORT"] = port.ToString();
        var process = Start(node, script, environment);
        var url = new Uri($"http://127.0.0.1:{port}/");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (process.HasExited) break;
            try
            {
                await client.GetAsync(new Uri(url, "/api/health"));
                return url;
            }
            catch (HttpRequestException) { await Task.Delay(50); }
        }
        throw new InvalidOperationException(
            $"{script} did not answer on {url}: {await process.StandardError.ReadToEndAsync()}"
        );
    }

    private static async Task<Uri> StartScenariosAsync(string node)
    {
        var script = Path.Combine(Require.RepositoryRoot, "tests/Health/Fixtures/health-scenarios.js");
        var process = Start(node, script, new() { ["COMMIT"] = Commit });
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await process.StandardOutput.ReadLineAsync(ready.Token);
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"{script} did not start: {line} {await process.StandardError.ReadToEndAsync(ready.Token)}"
            );
        return new Uri($"http://127.0.0.1:{line["listening ".Length..]}/");
    }

}
