using System.Reflection;
using Build.Secrets;
using Build.Notifications;
using Cake.Core;

namespace Build;

/// <summary>Around each task: a collapsible group under GitHub Actions.</summary>
public sealed class BuildTaskLifetime : FrostingTaskLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ITaskSetupContext info) => context.Ci.BeginGroup(info.Task.Name);
    public override void Teardown(BuildContext context, ITaskTeardownContext info)
    {
        context.Outcomes.Add(
            new TaskOutcome(
                info.Task.Name,
                info.Duration,
                info.Skipped ? "skipped"
                    : info.Successful ? "succeeded"
                    : "failed"
            )
        );
        context.Ci.EndGroup();
    }
}
