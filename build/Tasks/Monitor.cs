using System.Globalization;
using Build.Health;
using Build.Monitoring;
using Build.Notifications;

namespace Build.Tasks;

[TaskName(nameof(Monitor))]
[TaskDescription(
    "Probes --env's health URLs once (the scheduled workflow runs it every 5 minutes), records each probe in the " +
    "environment's database (schema release_monitor) and alerts the channels only when a URL goes down (after " +
    "--alert-after= consecutive failures, default 3) or comes back"
)]
[TaskArgument<string>(
    "url",
    "A health URL to probe instead of the environment's",
    Placeholder = "URL",
    Repeatable = true
)]
[TaskArgument<int>("alert-after", "Consecutive failed probes before a URL counts as down and is announced (default 3)")]
public sealed class Monitor : AsyncFrostingTask<BuildContext>
{
    public const int DefaultAlertAfter = 3;

    public static int AlertAfter(BuildContext context)
    {
        var value = context.Arg("alert-after") ?? DefaultAlertAfter.ToString(CultureInfo.InvariantCulture);
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n : throw new ArgumentException($"--alert-after={value} is not a whole number of 1 or more.");
    }

    public override async Task RunAsync(BuildContext context)
    {
        var urls = HealthTargets.Resolve(
            context.TargetEnvironment,
            context.Arguments.HasArgument("url") ? context.Arguments.GetArguments("url").ToList() : []
        );
        await using var database = await MigrationTaskSupport.OpenTargetAsync(context);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var monitor = new UptimeMonitor(database.ConnectionString, context.EnvironmentName, http, AlertAfter(context),
            line => context.Information("{0}", line));
        var alerts = await monitor.RunAsync(urls, DateTimeOffset.UtcNow);
        context.Information("Recorded {0} probe(s) in {1}.", urls.Count, database.Description);

        foreach (var alert in alerts)
        {
            var text = alert.Text();
            if (alert.Down) context.Ci.Error(text, title: $"Monitor {context.EnvironmentName}");
            else context.Information("{0}", text);
            // An alert that cannot be delivered is a warning: the probes are recorded, and the next change alerts
            // again.
            foreach (var problem in await DeployNotifications.SendAsync(context, text))
                context.Ci.Warning($"Alert not delivered: {problem}", title: "Monitor");
        }
    }
}
