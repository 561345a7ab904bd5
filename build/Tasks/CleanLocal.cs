using Build.Deploy;
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
            var settings = target.Settings;
            // Only the rehearsal's own daemon (its PM2_HOME): never a PM2 that something else on this machine runs.
            var home = settings.Pm2Home ?? throw new InvalidOperationException("environments.local.vps.pm2Home is not set: refusing to stop the machine's default PM2.");
            var script = $"if [ -d {Shell.Quote(home)} ]; then PM2_HOME={Shell.Quote(home)} {Shell.Quote(settings.Pm2Command)} kill; else echo 'no PM2 daemon under {home}'; fi";
            var result = await target.Host.RunScriptAsync(script, line => context.Information(line), CancellationToken.None);
            if (result.ExitCode != 0) throw new InvalidOperationException($"Stopping the rehearsal's PM2 failed (exit {result.ExitCode}): {result.Error.Trim()}");
        }
        if (context.Flag("delete"))
        {
            var local = context.InRepository(".local");
            if (Directory.Exists(local)) Directory.Delete(local, recursive: true);
            context.Information("Deleted {0}.", local);
        }
    }
}
