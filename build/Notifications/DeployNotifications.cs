namespace Build.Notifications;

/// <summary>Glue between a run and the <see cref="Notifier"/>: which channels, and where problems go.</summary>
public static class DeployNotifications
{
    /// <summary>The link to this CI run, from the variables GitHub Actions sets (null elsewhere).</summary>
    public static string? RunUrl(Func<string, string?> variable) =>
        variable("GITHUB_SERVER_URL") is { } server
        && variable("GITHUB_REPOSITORY") is { } repository
        && variable("GITHUB_RUN_ID") is { } run
            ? $"{server.TrimEnd('/')}/{repository}/actions/runs/{run}"
                + (variable("GITHUB_RUN_ATTEMPT") is { } attempt && attempt != "1" ? $"/attempts/{attempt}" : "")
            : null;

    /// <summary>Retry and timeout policy of every notification (tests shorten it).</summary>
    public static NotifierOptions Options { get; set; } = new();

    /// <summary>Posts <paramref name="text"/>, masked, to the environment's channels; returns what could not be
    /// delivered. A channel is outside the masked console, so the text is masked here, once for every caller.</summary>
    public static async Task<IReadOnlyList<string>> SendAsync(BuildContext context, string text)
    {
        text = context.Masker.Apply(text);
        var (channels, missing) = NotificationChannels.For(context.TargetEnvironment, context.Secrets);
        var problems = missing.Select(v => $"{v} is not set").ToList();
        if (channels.Count == 0)
        {
            if (problems.Count == 0)
                context.Information("No notification channels configured for {0}.", context.EnvironmentName);
            return problems;
        }
        using var http = new HttpClient();
        problems.AddRange(
            await new Notifier(http, line => context.Information(line), Options).SendAsync(text, channels)
        );
        return problems;
    }
}
