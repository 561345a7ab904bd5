using Build.Secrets;
using Build.Backup;
using Build.Packaging;

namespace Build.Tasks;

[TaskName(nameof(BackupDb))]
[TaskDescription(
    "Dumps --env's database with pg_dump (custom format, 0600 in a 0700 folder) into backup.directory with a " +
    "manifest beside it (server version, commit, newest migration, per-table row counts, size, SHA-256), checks the " +
    "archive reads back, prunes backups older than backup.keepDays; runs before ApplyMigrations and " +
    "RollbackMigrations where backup.beforeMigrations is set (or set for an environment sharing the database)"
)]
[GateFor(Gate.Backup)]
[NeedsSecrets(SecretName.DatabaseUrl)]
public sealed class BackupDb : AsyncFrostingTask<BuildContext>
{
    // Before a [ChangesEnvironment(BackupFirst)] task it runs only where the environment (or one sharing its
    // database) asks for backups; called by name it always runs.
    public override bool ShouldRun(BuildContext context) =>
        context.RunTarget == nameof(BackupDb) || context.Gates.BackupFirst;

    public override string SkipReason(BuildContext context) =>
        $"'{context.EnvironmentName}' takes no backup first (backup.beforeMigrations is not set for it or for an " +
        "environment sharing its database)";

    // Started early beside CheckMigrations' replay (StartBesideReplay): then this waits for it, and fails with it.
    public override Task RunAsync(BuildContext context) => context.BackupInFlight ?? BackUpAsync(context);

    /// <summary>
    /// The backup this run takes next, started now (from CheckMigrations, beside its replay) when this run will run
    /// BackupDb and nothing it waits for is still open: no approval pending. It still gates the apply: BackupDb awaits
    /// it and fails if it failed; a failed replay fails CheckMigrations, which stops the run before the apply (after
    /// waiting for this backup, which is then kept). Null when it is not started early.
    /// </summary>
    public static Task? StartBesideReplay(BuildContext context)
    {
        if (context.IsDryRun || context.BackupInFlight is not null || !context.PlannedTasks.Contains(nameof(BackupDb)))
            return null;
        if (!new BackupDb().ShouldRun(context))
            return null;
        if (context.Gates.RequiresApproval && context.Approval is null)
            return null;
        context.Information(
            "Backing up {0} beside the replay (BackupDb waits for it before anything is applied).",
            context.EnvironmentName
        );
        return context.BackupInFlight = Task.Run(() => BackUpAsync(context));
    }

    /// <summary>Waits for an early backup when the run stops before BackupDb: no pg_dump is left running.</summary>
    public static async Task SettleAsync(BuildContext context)
    {
        if (context.BackupInFlight is not { } backup)
            return;
        try
        {
            await backup;
        }
        catch (Exception e)
        {
            context.Warning("The backup started beside the replay failed too: {0}", e.Message.Split('\n')[0]);
        }
    }

    /// <summary>Also called at setup, so that --exclusive (which skips this task) cannot skip the backup.</summary>
    public static async Task BackUpAsync(BuildContext context)
    {
        await using var database = await MigrationTaskSupport.OpenTargetAsync(context);
        var result = await TakeAsync(context, database.ConnectionString);
        context.BackupTaken = $"{Path.GetFileName(result.Path)} ({result.Bytes / 1048576.0:0.0} MB)";
        context.Ci.Summary(
            $"### Backup of {context.EnvironmentName}\n\n`{Path.GetFileName(result.Path)}`: " +
            $"{result.Bytes / 1048576.0:0.0} MB, "
                + $"{result.ArchiveEntries} entries, {result.Manifest.Tables.Count} tables, newest migration `" +
                $"{result.Manifest.NewestMigration ?? "none"}`, "
                + $"{result.Duration.TotalSeconds:0.0} s\n"
        );
    }

    /// <summary>A backup of --env's database into its backup.directory (also RestoreDb's safety copy).</summary>
    internal static Task<BackupResult> TakeAsync(BuildContext context, string connectionString) =>
        new DatabaseBackup(line => context.Information("{0}", line)).CreateAsync(
            new BackupRequest(
                connectionString,
                context.InRepository(context.TargetEnvironment.Backup.Directory),
                context.EnvironmentName,
                context.TargetEnvironment.Backup.KeepDays,
                Commit: Commit(context)
            )
        );

    private static string? Commit(BuildContext context)
    {
        try { return CommitResolver.FromRepository(context.RepositoryRoot, allowDirty: true).Sha; }
        catch (Exception e) when (e is InvalidOperationException or LibGit2Sharp.LibGit2SharpException) { return null; }
    }
}
