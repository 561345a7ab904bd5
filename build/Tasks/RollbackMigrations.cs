using Build.Secrets;
using System.Globalization;
using Build.Migrations.Database;
using static Build.Tasks.MigrationTaskSupport;

namespace Build.Tasks;

[TaskName(nameof(RollbackMigrations))]
[TaskDescription(
    "Runs the down scripts (supabase/rollbacks/<version>_<name>.sql) of the last --steps=N applied migrations in one " +
    "transaction and removes their history rows; a backup first where the environment keeps them, and production's " +
    "approval (or --confirm=production) like every change"
)]
[ChangesEnvironment(BackupFirst = true, Announce = true)]
[NeedsSecrets(SecretName.DatabaseUrl)]
[TaskArgument<int>("steps", "How many of the last applied migrations to revert (required)")]
[TaskArgument<string>(
    "confirm",
    "Confirms a change to an environment that requires approval, from a shell: type its name (--confirm=production)",
    Placeholder = "ENV"
)]
[TaskArgument<bool>("allow-out-of-order", "Accept migrations older than the newest applied one (history check)")]
public sealed class RollbackMigrations : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var stepsArgument =
            context.Arg("steps")
            ?? throw new InvalidOperationException(
                "RollbackMigrations needs --steps=N (how many of the last applied migrations to revert)."
            );
        if (!int.TryParse(stepsArgument, NumberStyles.None, CultureInfo.InvariantCulture, out var steps) || steps < 1)
            throw new InvalidOperationException($"--steps={stepsArgument} is not a whole number of 1 or more.");

        await using var target = await OpenTargetAsync(context);
        context.Information("Rolling back {0} migration(s) on {1}", steps, target.Description);
        var rollback = new MigrationRollback(Options(context), Progress(context));
        var result = await rollback.RollbackAsync(
            target.ConnectionString,
            context.InRepository(context.Config.Project.RollbacksPath),
            steps
        );
        context.MigrationsRolledBack = result.RolledBack.Select(r => r.Migration.FileName).ToList();
        context.Information(
            "Rolled back {0} in {1:0.00} s. The files are still in {2}: delete or fix them before the next " +
            "ApplyMigrations, or they apply again.",
            string.Join(", ", result.RolledBack.Select(r => r.Migration.FileName)),
            result.Total.TotalSeconds,
            context.Config.Project.MigrationsPath
        );
        if (context.Ci.IsGitHubActions)
            context.Ci.Summary(
                $"### Rollback on {context.EnvironmentName}\n\n"
                    + string.Join("\n", result.RolledBack.Select(r => $"- reverted `{r.Migration.FileName}`"))
                    + "\n"
            );
    }
}
