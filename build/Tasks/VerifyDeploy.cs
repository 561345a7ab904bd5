using Build.Host;
using Cake.Common.Diagnostics;

namespace Build.Tasks;

[TaskName(nameof(VerifyDeploy))]
[TaskDescription("After DeployVps: health-checks --env's public health URLs for the commit just shipped; on failure rolls back to the previous release automatically and fails the run")]
[IsDependentOn(typeof(DeployVps))]
public sealed class VerifyDeploy : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var commit = context.DeployedCommit
            ?? throw new InvalidOperationException("VerifyDeploy runs after DeployVps in the same run (it checks the commit that deploy shipped); use HealthCheck --commit=<sha> on its own.");
        await HealthCheck.VerifyAsync(context, commit);
    }

    public override void OnError(Exception exception, BuildContext context)
    {
        if (context.DeployedCommit is null) return;
        // The new release answers wrongly behind the public URL: put the previous one back now, then fail the run.
        context.Warning("Health check failed after the switch: rolling {0} back to the previous release.", context.EnvironmentName);
        context.Ci.Warning($"Automatic rollback of {context.EnvironmentName} after a failed health check", title: "Rollback");
        Rollback.RollBackAsync(context, toRelease: null).GetAwaiter().GetResult();
        context.Information("Rolled back. The failed release stays on disk for inspection; see docs/deploy.md.");
    }
}
