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

    /// <summary>A fixture app's start-up: generous for a loaded 2-core machine; it only bounds one that never
    /// answers.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static async Task<Uri> StartAppAsync(string node, string script, Dictionary<string, string> environment)
    {
        var port = Infrastructure.Ports.Free();
        environment["PORT"] = port.ToString();
        var process = Start(node, script, environment);
        var url = new Uri($"http://127.0.0.1:{port}/");
        var watch = Stopwatch.StartNew();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string? lastError = null;
        while (watch.Elapsed < StartTimeout && !process.HasExited)
        {
            try
            {
                await client.GetAsync(new Uri(url, "/api/health"));
                return url;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lastError = e.Message;
                await Task.Delay(50);
            }
        }
        var state = process.HasExited
            ? $"it exited with code {process.ExitCode}"
            : $"no answer after {StartTimeout.TotalSeconds:0} s";
        throw new InvalidOperationException(
            $"node {script} did not answer GET {url}api/health ({state}; last error: {lastError}): "
                + (process.HasExited ? await process.StandardError.ReadToEndAsync() : "")
        );
    }

    private static async Task<Uri> StartScenariosAsync(string node)
    {
        var script = Path.Combine(Require.RepositoryRoot, "tests/Health/Fixtures/health-scenarios.js");
        var process = Start(node, script, new() { ["COMMIT"] = Commit });
        using var ready = new CancellationTokenSource(StartTimeout);
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(ready.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException(
                $"node {script} printed no \"listening <port>\" line within {StartTimeout.TotalSeconds:0} s");
        }
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"node {script} did not start (waited for \"listening <port>\", got {line ?? "end of output"}): "
                    + (line is null ? await process.StandardError.ReadToEndAsync() : "")
            );
        return new Uri($"http://127.0.0.1:{line["listening ".Length..]}/");
    }
}
