using Build.Host;
using Cake.Common.Diagnostics;

namespace Build.Tasks;

[TaskName(nameof(VerifyDeploy))]
[TaskDescription("After DeployVps: health-checks --env's public health URLs for the commit just shipped; on failure rolls back to the previous release automatically and fails the run")]
[TaskArgument<string>("url", "A health URL to check instead of the environment's", Placeholder = "URL", Repeatable = true)]
[TaskArgument<string>("timeout", "Deadline of the health check in seconds (default 30)", Placeholder = "SECONDS")]
[IsDependentOn(typeof(DeployVps))]
public sealed class VerifyDeploy : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var commit = context.DeployedCommit
            ?? throw new InvalidOperationException("VerifyDeploy runs after DeployVps in the same run (it checks the commit that deploy shipped); use HealthCheck --commit=<sha> on its own.");
        await HealthCheck.VerifyAsync(context, commit, LocalLiveUrl(context));
    }

    /// <summary>
    /// The local rehearsal has no Nginx in front: traffic goes straight to the live color's port, which changes with
    /// every deploy. Its health URL is read from the release folder's live-color file; elsewhere the configuration's.
    /// </summary>
    private static IReadOnlyList<string>? LocalLiveUrl(BuildContext context)
    {
        if (context.Target.Vps is not { Transport: "local", NginxUpstreamFile: null } vps || context.Arguments.HasArgument("url")) return null;
        var liveColorFile = Path.Combine(context.InRepository(vps.BasePath), ".live-color");
        if (!File.Exists(liveColorFile)) return null;
        var port = File.ReadAllText(liveColorFile).Trim() == "green" && vps.Ports.Count > 1 ? vps.Ports[1] : vps.Ports[0];
        return [$"http://127.0.0.1:{port}{vps.HealthPath}"];
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
