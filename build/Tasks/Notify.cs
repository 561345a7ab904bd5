using Build.Notifications;

namespace Build.Tasks;

[TaskName(nameof(Notify))]
[TaskDescription(
    "Posts --message= to --env's Slack/Discord channels (every target that changes an environment, and the Deploy* " +
    "and Rollback umbrellas, announce their own outcome)"
)]
[TaskArgument<string>("message", "The text to post (required)", Placeholder = "TEXT")]
public sealed class Notify : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var message = context.Arg("message") is { Length: > 0 } m
            ? m
            : throw new ArgumentException("Notify needs --message=\"text to post\".");
        var problems = await DeployNotifications.SendAsync(context, message);
        if (problems.Count > 0) throw new InvalidOperationException("Could not notify: " + string.Join("; ", problems));
    }
}
