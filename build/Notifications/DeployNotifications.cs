using Cake.Common.Diagnostics;

namespace Build.Notifications;

/// <summary>Glue between a run and the <see cref="Notifier"/>: which channels, and where problems go.</summary>
public static class DeployNotifications
{
    /// <summary>Posts <paramref name="text"/> to the environment's channels; returns what could not be delivered.</summary>
    public static async Task<IReadOnlyList<string>> SendAsync(BuildContext context, string text)
    {
        var (channels, missing) = NotificationChannels.For(context.Target, context.Secrets);
        var problems = missing.Select(v => $"{v} is not set").ToList();
        if (channels.Count == 0)
        {
            if (problems.Count == 0) context.Information("No notification channels configured for {0}.", context.EnvironmentName);
            return problems;
        }
        using var http = new HttpClient();
        problems.AddRange(await new Notifier(http, line => context.Information(line)).SendAsync(text, channels));
        return problems;
    }
}
