using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Polly;
using Polly.Retry;

namespace Build.Health;

/// <summary>
/// Probes health URLs from outside (the runner, against public URLs) until each is healthy or the overall deadline
/// passes: retries with exponential backoff and jitter (Polly), one timeout per attempt, every URL in parallel under
/// the same deadline. It never gives up before the deadline: a release that is still starting gets the whole budget.
/// </summary>
public sealed class HealthChecker(HttpClient http, Action<string> log)
{
    public async Task<HealthReport> CheckAsync(
        IReadOnlyList<Uri> urls,
        string? expectedCommit,
        HealthCheckOptions options,
        CancellationToken cancellationToken = default
    )
    {
        if (urls.Count == 0) throw new ArgumentException("No health URL to check.", nameof(urls));
        var watch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Deadline);

        var results = await Task.WhenAll(
            urls.Select(url => CheckOneAsync(url, expectedCommit, options, watch, deadline.Token))
        );
        // The caller's own cancellation is not a health verdict.
        cancellationToken.ThrowIfCancellationRequested();
        return new HealthReport(results, expectedCommit, watch.Elapsed);
    }

    private async Task<UrlHealth> CheckOneAsync(
        Uri url,
        string? expectedCommit,
        HealthCheckOptions options,
        Stopwatch sinceStart,
        CancellationToken deadline
    )
    {
        var attempts = 0;
        var latencies = new List<TimeSpan>();
        ProbeResult? last = null;

        var pipeline = new ResiliencePipelineBuilder<ProbeResult>()
            .AddRetry(
                new RetryStrategyOptions<ProbeResult>
                {
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Healthy: false }),
                    MaxRetryAttempts = int.MaxValue, // bounded by the deadline, not by a count
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.FirstDelay,
                    MaxDelay = options.MaxDelay,
                    OnRetry = args =>
                    {
                        log(
                            $"{url}: attempt {args.AttemptNumber + 1} failed ({args.Outcome.Result!.Failure}); " +
                            "retrying in " +
                            $"{args.RetryDelay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"
                        );
                        return ValueTask.CompletedTask;
                    },
                }
            )
            .Build();

        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                last = await AttemptAsync(url, expectedCommit, options, token);
                if (last.Latency is { } latency) latencies.Add(latency);
                return last;
            }, deadline);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // The deadline passed while waiting or while a request was in flight: the last finished attempt says why.
        }

        if (last is { Healthy: true })
            return new UrlHealth(url, true, attempts, latencies, last.ReportedCommit, null);
        var why = last?.Failure ?? "no answer";
        var failure =
            $"{why} (still failing at the {Seconds(options.Deadline)} deadline, {Seconds(sinceStart.Elapsed)} after " +
            "the first attempt)";
        return new UrlHealth(url, false, attempts, latencies, last?.ReportedCommit, failure);
    }

    private async Task<ProbeResult> AttemptAsync(
        Uri url,
        string? expectedCommit,
        HealthCheckOptions options,
        CancellationToken deadline
    )
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        attempt.CancelAfter(options.AttemptTimeout);
        try
        {
            return await HealthEndpoint.GetAsync(http, url, expectedCommit, attempt.Token);
        }
        catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
        {
            return new ProbeResult(false, null, null, $"no answer within {Seconds(options.AttemptTimeout)}");
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is SocketException socket
                ? $"{socket.SocketErrorCode} ({socket.Message})"
                : e.Message;
            return new ProbeResult(false, null, null, $"cannot connect to {url.Authority}: {reason}");
        }
    }

    private static string Seconds(TimeSpan value) =>
        value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
