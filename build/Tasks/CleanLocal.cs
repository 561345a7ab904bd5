using Build.Deploy;
using Build.Deploy.Steps;
using Build.Host;
using Cake.Common.Diagnostics;

namespace Build.Tasks;

[TaskName(nameof(CleanLocal))]
[TaskDescription("Stops the local rehearsal's PM2 apps and daemon (.local/pm2); --delete also removes .local/ (releases, local database, backups)")]
[TaskArgument<bool>("delete", "Also remove .local/ (releases, local database, backups)")]
[TargetEnvironment("local")]
public sealed class CleanLocal : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        await using (var hosts = DeployTaskSupport.OpenHosts(context))
        {
            var target = hosts.All.Single();
            // Only the rehearsal's own daemon (its PM2_HOME): never a PM2 that something else on this machine runs.
            if (target.Settings.Pm2Home is not { Length: > 0 })
                throw new InvalidOperationException("environments.local.vps.pm2Home is not set: refusing to stop the machine's default PM2.");
            await new HostSession(target, DeployTaskSupport.Progress(context)).RunAsync("clean-local", [new StopPm2Daemon()], CancellationToken.None);
        }
        if (context.Flag("delete"))
        {
            var local = context.InRepository(".local");
            if (Directory.Exists(local)) Directory.Delete(local, recursive: true);
            context.Information("Deleted {0}.", local);
        }
    }
}
