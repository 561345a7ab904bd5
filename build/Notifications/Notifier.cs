using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Build.Notifications;

/// <summary>What happened, said once for every channel.</summary>
public sealed record Notice(string Environment, string Target, bool Succeeded, string? Commit, TimeSpan Duration, string? Failure, string? Url)
{
    /// <summary>The GitHub reviewer who approved the change, when one did.</summary>
    public string? ApprovedBy { get; init; }

    public string Text()
    {
        var verdict = Succeeded ? "succeeded" : "FAILED";
        var commit = Commit is { Length: >= 7 } c ? $" (commit {c[..7]})" : "";
        var text = $"{(Succeeded ? "✅" : "❌")} {Target} on {Environment} {verdict}{commit} in {Duration.TotalSeconds:0} s";
        if (Failure is { Length: > 0 } f) text += $": {f}";
        if (ApprovedBy is { Length: > 0 } a) text += $", approved by {a}";
        if (Url is { Length: > 0 } u) text += $" — {u}";
        return text;
    }
}

/// <summary>One webhook to tell.</summary>
public sealed record NotificationChannel(string Name, Uri Webhook);

/// <summary>
/// Posts a notice to Slack and Discord incoming webhooks (plain JSON: Slack reads "text", Discord "content").
/// A notification that cannot be delivered is reported back, never thrown: the deploy it speaks of already
/// happened, and a chat outage must not turn it into a failure. The webhook URL is a secret and is never in a message.
/// </summary>
public sealed class Notifier(HttpClient http, Action<string> log)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Sends to every channel; returns the channels that could not be told, with why.</summary>
    public async Task<IReadOnlyList<string>> SendAsync(string text, IEnumerable<NotificationChannel> channels, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        foreach (var channel in channels)
        {
            var problem = await SendOneAsync(text, channel, cancellationToken);
            if (problem is null) log($"Notified {channel.Name}.");
            else problems.Add($"{channel.Name}: {problem}");
        }
        return problems;
    }

    private async Task<string?> SendOneAsync(string text, NotificationChannel channel, CancellationToken cancellationToken)
    {
        object payload = channel.Name switch
        {
            "slack" => new SlackMessage(text),
            // Discord refuses messages over 2000 characters.
            "discord" => new DiscordMessage(Truncate(text, 2000)),
            _ => throw new ArgumentException($"Unknown notification channel '{channel.Name}' (slack, discord)."),
        };
        // One retry: webhooks fail transiently (429, 5xx) far more often than for good.
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                using var response = await http.PostAsJsonAsync(channel.Webhook, payload, timeout.Token);
                if (response.IsSuccessStatusCode) return null;
                var transient = (int)response.StatusCode is 429 or >= 500;
                if (!transient || attempt == 2) return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (attempt == 2) return ex is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : "could not connect";
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private sealed record SlackMessage([property: JsonPropertyName("text")] string Text);
    private sealed record DiscordMessage([property: JsonPropertyName("content")] string Content);
}
