using Build.Backup;

namespace Build.Tasks;

[TaskName(nameof(RestoreDb))]
[TaskDescription(
    "Restores --backup=PATH over --env's database in one transaction (Supabase's own schemas left as they are), " +
    "after checking the dump against its manifest and taking a fresh backup; needs --confirm=<env>, and " +
    "backup.allowRestore for an environment that requires approval (production); verifies row counts and the newest " +
    "migration after"
)]
[TaskArgument<string>(
    "backup",
    "The .dump to restore (its .manifest.json beside it); relative to where you run",
    Placeholder = "PATH"
)]
[TaskArgument<string>(
    "confirm",
    "Type the environment's name: its data is replaced (--confirm=staging)",
    Placeholder = "ENV"
)]
[ChangesEnvironment(Announce = true)]
public sealed class RestoreDb : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.EnvironmentName;
        var path = VerifyBackup.BackupPath(context, nameof(RestoreDb));
        // dev on production's database is production's data: the strictest environment sharing it decides.
        var gates = context.Gates;
        var guarded = gates.ApprovalOf ?? (environment == "production" ? environment : null);
        if (guarded is not null && !context.Config.Environments[guarded].Backup.AllowRestore)
            throw new InvalidOperationException(
                $"RestoreDb refuses '{environment}': {(gates.RequiresApproval ? gates.Reason : "it is production")}, " +
                "and the configuration does not allow restores. To restore it on purpose, set "
                    + $"environments.{guarded}.backup.allowRestore to true in " +
                    $"{Path.GetRelativePath(context.RepositoryRoot, context.ConfigPath)} (a reviewed change), then " +
                    $"run with --confirm={guarded}. Nothing was changed."
            );
        // The name typed is the one whose data is at stake: production's for dev on production's database.
        var confirmWith = gates.ApprovalOf ?? environment;
        if (context.Arg("confirm") != confirmWith)
            throw new InvalidOperationException(
                $"RestoreDb replaces {environment}'s data with the backup's: run it again with --confirm=" +
                $"{confirmWith} if that is intended. Nothing was changed."
            );

        var restore = new BackupRestore(MigrationTaskSupport.Progress(context));
        // a bad file is refused before the safety backup
        var manifest = await restore.CheckFileAsync(path, CancellationToken.None);
        if (manifest.Environment != environment)
            context.Warning(
                "The backup was taken of '{0}', and is restored into '{1}'.",
                manifest.Environment,
                environment
            );

        await using var database = await MigrationTaskSupport.OpenTargetAsync(context);
        context.Information("First, a fresh backup of {0} as it is now:", database.Description);
        var safety = await BackupDb.TakeAsync(context, database.ConnectionString);

        var excluded = context
            .Config.Project.Data.EffectivePlatformSchemas.Where(s => s != "supabase_migrations")
            .ToList();
        try
        {
            var rows = await restore.RestoreAsync(path, database.ConnectionString, excluded);
            context.Information("Restored {0} into {1}: {2} row(s) verified. The backup taken just before is {3}.",
                Path.GetFileName(path), environment, rows, Path.GetRelativePath(context.RepositoryRoot, safety.Path));
        }
        catch (BackupException)
        {
            context.Error(
                "The database as it was before this run is in {0} (restore it with --backup={0}).",
                Path.GetRelativePath(context.RepositoryRoot, safety.Path)
            );
            throw;
        }
    }
}
