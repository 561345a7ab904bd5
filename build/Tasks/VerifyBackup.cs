using Build.Backup;

namespace Build.Tasks;

[TaskName(nameof(VerifyBackup))]
[TaskDescription(
    "The restore drill: checks --backup=PATH's size and SHA-256 against its manifest, restores it into a throwaway " +
    "database (SCRATCH_DATABASE_URL or a scratch PostgreSQL), compares every table's row count and the newest " +
    "migration with the manifest, and drops the database; fails on any difference"
)]
[TaskArgument<string>(
    "backup",
    "The .dump to check (its .manifest.json beside it); relative to where you run",
    Placeholder = "PATH"
)]
public sealed class VerifyBackup : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var path = BackupPath(context, nameof(VerifyBackup));
        await using var scratch = await MigrationTaskSupport.StartScratchAsync(context, mayBeWarm: false);
        var result = await new BackupRestore(MigrationTaskSupport.Progress(context)).DrillAsync(path, scratch);
        foreach (var error in result.RestoreErrors.Take(10))
            context.Warning("{0}", error);
        if (result.RestoreErrors.Count > 0)
            context.Warning(
                "{0} object(s) did not restore on the scratch server (typically extensions or Supabase objects it " +
                "lacks); the data matched all the same.",
                result.RestoreErrors.Count
            );
        context.Information(
            "Restore drill passed: {0} restores to {1} table(s) and {2} row(s) exactly as its manifest says, in " +
            "{3:0.0} s.",
            Path.GetFileName(path),
            result.TablesCompared,
            result.RowsCompared,
            result.Duration.TotalSeconds
        );
        context.Ci.Summary(
            $"### Restore drill\n\n`{Path.GetFileName(path)}` ({result.Manifest.Environment}, " +
            $"{result.Manifest.CreatedAt:yyyy-MM-dd HH:mm} UTC): "
                + $"{result.TablesCompared} tables, {result.RowsCompared} rows, newest migration `" +
                $"{result.Manifest.NewestMigration ?? "none"}` — match\n"
        );
    }

    /// <summary>--backup=PATH (relative to the repository), which must exist.</summary>
    internal static string BackupPath(BuildContext context, string target)
    {
        var argument = context.Arg("backup");
        if (string.IsNullOrWhiteSpace(argument))
            throw new InvalidOperationException(
                $"{target} needs --backup=PATH: a .dump made by BackupDb (its .manifest.json beside it), e.g. " +
                "--backup=backups/staging/staging-20260101120000.dump"
            );
        var path = context.UserPath(argument);
        if (Directory.Exists(path))
            throw new InvalidOperationException($"--backup={argument} is a folder; name the .dump file in it.");
        if (!File.Exists(path))
            throw new InvalidOperationException($"--backup={argument}: {path} does not exist.");
        return path;
    }
}
