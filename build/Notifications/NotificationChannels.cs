using Build.Configuration;
using Build.Secrets;

namespace Build.Notifications;

public static class NotificationChannels
{
    /// <summary>The environment's configured channels with their webhook secrets; a channel whose secret is unset
    /// is returned in <c>missing</c> (by variable name) rather than failing.</summary>
    public static (IReadOnlyList<NotificationChannel> Channels, IReadOnlyList<string> Missing) For(
        EnvironmentSettings environment,
        SecretStore secrets
    )
    {
        var channels = new List<NotificationChannel>();
        var missing = new List<string>();
        foreach (var name in environment.Notifications.Channels.Distinct())
        {
            var secret = name == "slack" ? SecretName.SlackWebhookUrl : SecretName.DiscordWebhookUrl;
            if (secrets.Get(secret) is { } url && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
                channels.Add(new NotificationChannel(name, uri));
            else
                missing.Add(string.Join(" or ", secrets.VariablesFor(secret)));
        }
        return (channels, missing);
    }
}
