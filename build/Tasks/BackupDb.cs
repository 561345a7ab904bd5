using Build.Backup;
using Build.Host;
using Cake.Common.Diagnostics;

namespace Build.Tasks;

[TaskName(nameof(BackupDb))]
[TaskDescription("Dumps --env's database with pg_dump (custom format) into backup.directory, checks the archive reads back, prunes backups older than backup.keepDays; runs before ApplyMigrations where backup.beforeMigrations is set")]
public sealed class BackupDb : AsyncFrostingTask<BuildContext>
{
    // Inside ApplyMigrations' graph it runs only where the environment asks for it; called by name it always runs.
    public override bool ShouldRun(BuildContext context) =>
        context.RunTarget == nameof(BackupDb) || context.Target.Backup.BeforeMigrations;

    public override async Task RunAsync(BuildContext context)
    {
        await using var database = await MigrationTaskSupport.OpenTargetAsync(context);
        var connectionString = database.ConnectionString;
        var backup = new DatabaseBackup(line => context.Information("{0}", line));
        var result = await backup.CreateAsync(new BackupRequest(connectionString,
            context.InRepository(context.Target.Backup.Directory), context.EnvironmentName, context.Target.Backup.KeepDays));
        context.BackupTaken = $"{Path.GetFileName(result.Path)} ({result.Bytes / 1048576.0:0.0} MB)";
        context.Ci.Summary($"### Backup of {context.EnvironmentName}\n\n`{Path.GetFileName(result.Path)}`: {result.Bytes / 1048576.0:0.0} MB, " +
                           $"{result.ArchiveEntries} entries, {result.Duration.TotalSeconds:0.0} s\n");
    }
}
