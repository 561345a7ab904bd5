using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Polly;
using Polly.Retry;

namespace Build.Notifications;

/// <summary>One webhook to tell.</summary>
public sealed record NotificationChannel(string Name, Uri Webhook);
