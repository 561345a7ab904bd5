using Build.Deploy;
using Build.Deploy.Steps;
using Build.Migrations.Scratch;

namespace Build.Tasks;

[TaskName(nameof(CleanLocal))]
[TaskDescription(
    "Stops the local rehearsal's PM2 apps and daemon (.local/pm2) and the warm scratch PostgreSQL (SCRATCH_WARM); " +
    "without --delete lists what --delete would remove: .local/ (releases, local database, backups) and the local " +
    "PostgreSQL cluster where it lives outside the checkout; folders configured outside .local/ are named, never " +
    "deleted"
)]
[TaskArgument<bool>(
    "delete",
    "Also remove .local/ (releases, local database, backups) and the local PostgreSQL cluster, reporting each folder " +
    "deleted"
)]
[TargetEnvironment("local")]
public sealed class CleanLocal : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        // First: --delete must never remove the folder of a server that is still running.
        if (
            !await WarmScratchServer.StopAsync(
                WarmScratchServer.DirectoryFor(context.RepositoryRoot),
                m => context.Information("{0}", m)
            )
        )
            context.Information("No warm scratch PostgreSQL is running.");
        DeploySettings settings;
        string home;
        await using (var hosts = DeployTaskSupport.OpenHosts(context))
        {
            var target = hosts.All.Single();
            settings = target.Settings;
            // Only the rehearsal's own daemon (its PM2_HOME): never a PM2 that something else on this machine runs.
            home = settings.Pm2Home is { Length: > 0 } pm2Home
                ? pm2Home
                : throw new InvalidOperationException(
                    "environments.local.vps.pm2Home is not set: refusing to stop the machine's default PM2."
                );
            await new HostSession(target, DeployTaskSupport.Progress(context)).RunAsync(
                "clean-local",
                [new StopPm2Daemon()],
                CancellationToken.None
            );
        }
        var configured = new[]
        {
            settings.BasePath,
            home,
            context.InRepository(context.TargetEnvironment.Backup.Directory),
        };
        var cleanup = LocalCleanup.Plan(context.RepositoryRoot, configured);
        var delete = context.Flag("delete");
        if (cleanup.Folders.Count == 0)
            context.Information("Nothing to delete: {0} does not exist.", context.InRepository(".local"));
        else if (!delete)
            foreach (var folder in cleanup.Folders)
                context.Information(
                    "Would delete {0} ({1}; {2}). Run with --delete to remove it.",
                    folder.Path,
                    folder.What,
                    folder.Size
                );
        else
            cleanup.Delete(folder =>
                context.Information("Deleted {0} ({1}; {2}).", folder.Path, folder.What, folder.Size)
            );
        foreach (var path in cleanup.KeptOutside)
            context.Information(
                "Kept {0}: configured for the rehearsal but outside .local/, so CleanLocal never deletes it (remove " +
                "it yourself if you mean to).",
                path
            );
    }
}
