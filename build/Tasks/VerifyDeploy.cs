using Build.Deploy;
using Build.Deploy.Steps;

namespace Build.Tasks;

[TaskName(nameof(VerifyDeploy))]
[TaskDescription(
    "After DeployVps: health-checks --env's public health URLs for the commit just shipped; passed: stops the old " +
    "color; failed: marks the release failed and switches straight back to the old color (still running), then fails " +
    "the run"
)]
[TaskArgument<string>(
    "url",
    "A health URL to check instead of the environment's",
    Placeholder = "URL",
    Repeatable = true
)]
[TaskArgument<string>("timeout", "Deadline of the health check in seconds (default 30)", Placeholder = "SECONDS")]
[IsDependentOn(typeof(DeployVps))]
public sealed class VerifyDeploy : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var deployed =
            context.Deployed
            ?? throw new InvalidOperationException(
                "VerifyDeploy runs after DeployVps in the same run (it checks the commit that deploy shipped); use " +
                "HealthCheck --commit=<sha> on its own."
            );
        await using var hosts = DeployTaskSupport.OpenHosts(context);
        var verification = new ReleaseVerification(
            hosts.All,
            DeployTaskSupport.Progress(context),
            DeployTaskSupport.Who(context)
        );
        try
        {
            await HealthCheck.VerifyAsync(context, deployed.Commit, await LocalLiveUrlAsync(context, hosts.All));
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // The new release answers wrongly behind the public URL: the old color never stopped, switch back to it
            // now.
            context.Warning(
                "Verification failed: marking release {0} failed and switching {1} back to the previous release.",
                deployed.Release,
                context.EnvironmentName
            );
            context.Ci.Warning(
                $"Automatic rollback of {context.EnvironmentName} after a failed verification",
                title: "Rollback"
            );
            try
            {
                var rolledBack = await verification.RevertAsync(
                    deployed,
                    "VerifyDeploy: the public health check failed"
                );
                context.Information(
                    "Rolled back: {0}. Release {1} is marked failed and stays on disk for inspection; see " +
                    "docs/deploy.md.",
                    string.Join(", ", rolledBack.Select(r => $"{r.Host} to {r.Release}")),
                    deployed.Release
                );
            }
            catch (RollbackRefusedException revert)
            {
                throw new InvalidOperationException($"{failure.Message} {revert.Message}", failure);
            }
            throw;
        }
        await verification.FinishAsync(deployed);
    }

    /// <summary>
    /// The local rehearsal has no Nginx in front: traffic goes straight to the live color's port, which changes with
    /// every deploy. Its health URL follows the live color the host reports (<see cref="ReadState"/>); elsewhere the
    /// configuration's.
    /// </summary>
    private static async Task<IReadOnlyList<string>?> LocalLiveUrlAsync(
        BuildContext context,
        IReadOnlyList<DeployHost> targets
    )
    {
        if (
            context.TargetEnvironment.Vps is not { Transport: DeployTransport.Local, NginxUpstreamFile: null }
            || context.Arguments.HasArgument("url")
        )
            return null;
        if (targets is not [var target])
            return null;
        var state = await new HostSession(target, DeployTaskSupport.Progress(context)).RunAsync(
            "live-color",
            [new ReadState(target.Layout)],
            CancellationToken.None
        );
        if (state["live_color"] is not { } color)
            return null;
        var settings = target.Settings;
        var port = color == "green" && settings.Ports.Count > 1 ? settings.Ports[1] : settings.Ports[0];
        return [$"http://127.0.0.1:{port}{settings.HealthPath}"];
    }
}
