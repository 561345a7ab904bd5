using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Polly;
using Polly.Retry;

namespace Build.Notifications;

/// <summary>How hard a notification tries: a few attempts, each with a timeout, waiting what the service asks
/// (<c>Retry-After</c>) up to a cap, so a notification can delay the end of a run by at most about a minute.</summary>
public sealed record NotifierOptions
{
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>The wait before a retry when the service does not say (a 5xx, a lost connection).</summary>
    public TimeSpan DefaultDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the notice is reported undelivered.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(20);
}
