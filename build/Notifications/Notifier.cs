using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Polly;
using Polly.Retry;

namespace Build.Notifications;

/// <summary>
/// Posts a notice to Slack and Discord incoming webhooks (plain JSON: Slack reads "text", Discord "content").
/// Rate limits (429) are retried after the <c>Retry-After</c> the service sends, 5xx and lost connections after a
/// short pause, a bounded number of times (Polly). A notification that cannot be delivered is reported back, never
/// thrown: the run it speaks of already happened, and a chat outage must not change or hide its result. The webhook
/// URL is a secret and is never in a message.
/// </summary>
public sealed class Notifier(HttpClient http, Action<string> log, NotifierOptions? options = null)
{
    private readonly NotifierOptions _options = options ?? new NotifierOptions();

    /// <summary>Sends to every channel; returns the channels that could not be told, with why.</summary>
    public async Task<IReadOnlyList<string>> SendAsync(
        string text,
        IEnumerable<NotificationChannel> channels,
        CancellationToken cancellationToken = default
    )
    {
        var problems = new List<string>();
        foreach (var channel in channels)
        {
            string? problem;
            try
            {
                problem = await SendOneAsync(text, channel, cancellationToken);
            }
            catch (Exception ex)
                when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                problem = ex.GetType().Name; // never the message: it may carry the webhook URL
            }
            if (problem is null) log($"Notified {channel.Name}.");
            else problems.Add($"{channel.Name}: {problem}");
        }
        return problems;
    }

    /// <summary>One attempt's outcome: the status, the wait the service asked for, or why there was no
    /// answer.</summary>
    private sealed record Attempt(HttpStatusCode? Status, string? Reason, TimeSpan? RetryAfter, string? Failure)
    {
        public bool Delivered => Status is { } s && (int)s is >= 200 and < 300;
        public bool Transient => Status is null || (int)Status.Value is 429 or >= 500;
        public string Describe() => Status is { } s ? $"HTTP {(int)s} {Reason}" : Failure!;
    }

    private async Task<string?> SendOneAsync(
        string text,
        NotificationChannel channel,
        CancellationToken cancellationToken
    )
    {
        object payload = channel.Name switch
        {
            "slack" => new SlackMessage(text),
            // Discord refuses messages over 2000 characters.
            "discord" => new DiscordMessage(Truncate(text, 2000)),
            _ => throw new ArgumentException($"Unknown notification channel '{channel.Name}' (slack, discord)."),
        };

        string? gaveUp = null;
        var pipeline = new ResiliencePipelineBuilder<Attempt>()
            .AddRetry(
                new RetryStrategyOptions<Attempt>
                {
                    MaxRetryAttempts = Math.Max(0, _options.MaxAttempts - 1),
                    ShouldHandle = args =>
                        ValueTask.FromResult(
                            args.Outcome.Result is { Delivered: false, Transient: true } attempt
                                && (
                                    attempt.RetryAfter is not { } wait
                                    || wait <= _options.MaxRetryAfter
                                    || Refuse(attempt)
                                )
                        ),
                    DelayGenerator = args =>
                        ValueTask.FromResult<TimeSpan?>(args.Outcome.Result?.RetryAfter ?? _options.DefaultDelay),
                    OnRetry = args =>
                    {
                        log(
                            $"{channel.Name}: {args.Outcome.Result!.Describe()}; retrying in " +
                            $"{args.RetryDelay.TotalSeconds:0.#} s "
                                + $"(attempt {args.AttemptNumber + 2} of {_options.MaxAttempts})"
                        );
                        return ValueTask.CompletedTask;
                    },
                }
            )
            .Build();

        bool Refuse(Attempt attempt)
        {
            gaveUp =
                $"{attempt.Describe()} asking to retry after {attempt.RetryAfter!.Value.TotalSeconds:0} s, longer " +
                $"than the {_options.MaxRetryAfter.TotalSeconds:0} s a run waits";
            return false;
        }

        var last = await pipeline.ExecuteAsync(
            async token => await PostAsync(channel, payload, token),
            cancellationToken
        );
        if (last.Delivered)
            return null;
        return gaveUp
            ?? (
                last.Transient && _options.MaxAttempts > 1
                    ? $"{last.Describe()} after {_options.MaxAttempts} attempts"
                    : last.Describe()
            );
    }

    private async Task<Attempt> PostAsync(
        NotificationChannel channel,
        object payload,
        CancellationToken cancellationToken
    )
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.AttemptTimeout);
        try
        {
            using var response = await http.PostAsJsonAsync(channel.Webhook, payload, timeout.Token);
            return new Attempt(response.StatusCode, response.ReasonPhrase, RetryAfter(response), null);
        }
        catch (Exception ex)
            when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Attempt(
                null,
                null,
                null,
                ex is TaskCanceledException
                    ? $"no answer within {_options.AttemptTimeout.TotalSeconds:0} s"
                    : "could not connect"
            );
        }
    }

    /// <summary>Retry-After as seconds or an HTTP date (Slack and Discord send seconds; Discord also a JSON
    /// <c>retry_after</c>, which matches the header).</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
            return null;
        if (header.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date)
            return date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private sealed record SlackMessage([property: JsonPropertyName("text")] string Text);
    private sealed record DiscordMessage([property: JsonPropertyName("content")] string Content);
}
