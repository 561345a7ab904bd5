using System.Diagnostics;
using Build.Tests.Infrastructure;

namespace Build.Tests.Health;

/// <summary>The Node scenario server (Fixtures/health-scenarios.js), started once for the Health tests and stopped by PID.</summary>
[SetUpFixture]
public sealed class HealthServer
{
    public const string Commit = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
    private static Process? _process;
    private static Uri? _baseUrl;

    public static Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("The health scenario server did not start (node missing?).");

    public static Uri Url(string pathAndQuery) => new(BaseUrl, pathAndQuery);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var node = Require.FindOnPath("node");
        if (node is null) return; // each test calls Require.Tool("node") and reports it
        var script = Path.Combine(Require.RepositoryRoot, "tests/Health/Fixtures/health-scenarios.js");
        var start = new ProcessStartInfo(node, [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["COMMIT"] = Commit;
        _process = Process.Start(start)!;
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await _process.StandardOutput.ReadLineAsync(ready.Token);
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
            throw new InvalidOperationException($"{script} did not start: {line} {await _process.StandardError.ReadToEndAsync(ready.Token)}");
        _baseUrl = new Uri($"http://127.0.0.1:{line["listening ".Length..]}/");
    }

    [OneTimeTearDown]
    public void Stop()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
