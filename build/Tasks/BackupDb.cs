using Build.Backup;
using Build.Host;
using Build.Packaging;
using Cake.Common.Diagnostics;

namespace Build.Tasks;

[TaskName(nameof(BackupDb))]
[TaskDescription("Dumps --env's database with pg_dump (custom format, 0600 in a 0700 folder) into backup.directory with a manifest beside it (server version, commit, newest migration, per-table row counts, size, SHA-256), checks the archive reads back, prunes backups older than backup.keepDays; runs before ApplyMigrations where backup.beforeMigrations is set")]
public sealed class BackupDb : AsyncFrostingTask<BuildContext>
{
    // Inside ApplyMigrations' graph it runs only where the environment asks for it; called by name it always runs.
    public override bool ShouldRun(BuildContext context) =>
        context.RunTarget == nameof(BackupDb) || context.Target.Backup.BeforeMigrations;

    public override async Task RunAsync(BuildContext context)
    {
        await using var database = await MigrationTaskSupport.OpenTargetAsync(context);
        var result = await TakeAsync(context, database.ConnectionString);
        context.BackupTaken = $"{Path.GetFileName(result.Path)} ({result.Bytes / 1048576.0:0.0} MB)";
        context.Ci.Summary($"### Backup of {context.EnvironmentName}\n\n`{Path.GetFileName(result.Path)}`: {result.Bytes / 1048576.0:0.0} MB, " +
                           $"{result.ArchiveEntries} entries, {result.Manifest.Tables.Count} tables, newest migration `{result.Manifest.NewestMigration ?? "none"}`, " +
                           $"{result.Duration.TotalSeconds:0.0} s\n");
    }

    /// <summary>A backup of --env's database into its backup.directory (also RestoreDb's safety copy).</summary>
    internal static Task<BackupResult> TakeAsync(BuildContext context, string connectionString) =>
        new DatabaseBackup(line => context.Information("{0}", line)).CreateAsync(new BackupRequest(connectionString,
            context.InRepository(context.Target.Backup.Directory), context.EnvironmentName, context.Target.Backup.KeepDays, Commit: Commit(context)));

    private static string? Commit(BuildContext context)
    {
        try { return CommitResolver.FromRepository(context.RepositoryRoot, allowDirty: true).Sha; }
        catch (Exception e) when (e is InvalidOperationException or LibGit2Sharp.LibGit2SharpException) { return null; }
    }
}
