using Build.Migrations;
using Build.Migrations.Database;
using Build.Migrations.Scratch;
using Build.Secrets;
using static Build.Tasks.MigrationTaskSupport;

namespace Build.Tasks;

[TaskName(nameof(CheckMigrations))]
[TaskDescription(
    "Checks supabase/migrations against --env's history (missing files, edited applied files, out-of-order versions) " +
    "and replays every migration plus seed.sql on a throwaway PostgreSQL; --skip-replay, --allow-out-of-order"
)]
[TaskArgument<bool>(
    "allow-out-of-order",
    "Report migrations older than the newest applied one as warnings, not errors"
)]
[TaskArgument<bool>(
    "seed",
    "Treat a seed that fails in the replay as an error, as for an environment that seeds (local and dev always do)"
)]
[TaskArgument<bool>("skip-replay", "Skip the replay of every migration on a throwaway PostgreSQL (history check only)")]
public sealed class CheckMigrations : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        try { await CheckAsync(context); }
        catch
        {
            await BackupDb.SettleAsync(context);
            throw;
        }
    }

    private static async Task CheckAsync(BuildContext context)
    {
        var contents = LoadMigrations(context);
        var checker = new MigrationChecker(Progress(context));
        var fileProblems = MigrationChecker.FileProblems(contents);
        var problems = new List<MigrationProblem>(fileProblems);

        var hasUrl = context.Secrets.Has(SecretName.DatabaseUrl);
        await using var target = hasUrl || context.EnvironmentName == "local" ? await OpenTargetAsync(context) : null;
        // The history check (the target) and the replay (a scratch server) need nothing of each other: they run side
        // by side, and their findings are reported together, the history's first.
        // A history check that fails (the target unreachable) stops the replay at once: its error is the one reported.
        using var historyFailed = new CancellationTokenSource();
        Task<IReadOnlyList<MigrationProblem>>? history = null;
        if (target is not null)
        {
            context.Information("Checking the history of {0}", target.Description);
            history = checker.CheckHistoryAsync(
                target.ConnectionString,
                contents,
                context.Flag("allow-out-of-order"),
                RepairUrl(context)
            );
            _ = history.ContinueWith(_ => historyFailed.Cancel(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        else
        {
            context.Warning("{0} is not set: the history of '{1}' is not checked (ApplyMigrations needs it anyway).",
                string.Join(" or ", context.Secrets.VariablesFor(SecretName.DatabaseUrl)), context.EnvironmentName);
        }

        try
        {
            await ReplayAsync(context, checker, contents, target, problems, historyFailed.Token);
        }
        catch when (history is { IsFaulted: true })
        {
            await history; // throws the history check's own error
            throw;
        }
        catch
        {
            // The replay failed to run: the history check still finishes (its session closed) before the error goes up
            if (history is not null) try { await history; } catch { /* the replay's error is the one reported */ }
            throw;
        }
        if (history is not null) problems.InsertRange(fileProblems.Count, await history);

        Report(context, problems);
        var errors = problems.Count(p => p.IsError);
        if (errors > 0)
            throw new InvalidOperationException(
                $"CheckMigrations found {errors} error(s) in {contents.Files.Count} migration(s); nothing was applied."
            );
        context.Information(
            "{0} migration(s) checked: no errors{1}.",
            contents.Files.Count,
            problems.Count > 0 ? $", {problems.Count} warning(s)" : ""
        );
    }

    /// <summary>The replay on a scratch server, or --skip-replay; findings go to <paramref name="problems"/>.</summary>
    private static async Task ReplayAsync(
        BuildContext context, MigrationChecker checker, MigrationDirectoryContents contents,
        TargetDatabase? target, List<MigrationProblem> problems, CancellationToken cancellationToken)
    {
        if (context.Flag("skip-replay"))
        {
            context.Warning("--skip-replay: migrations were not replayed from scratch.");
            return;
        }
        // The local cluster we just started serves the replay too (in a fresh database): one server start, not two.
        // The backup BackupDb takes next runs beside the replay (the replay is CPU and a scratch server; the
        // backup is pg_dump of the target): both must still succeed before ApplyMigrations runs.
        _ = BackupDb.StartBesideReplay(context); // kept in context.BackupInFlight: BackupDb awaits it
        var reuseLocal = target?.Owned is LocalDatabase && context.Variable(ScratchPostgres.UrlVariable) is null;
        await using var ownScratch = reuseLocal ? null : await StartScratchAsync(context, target?.ConnectionString);
        var scratch = ownScratch ?? ((LocalDatabase)target!.Owned!).Server;
        // The seed is replayed for every environment: a seed that no longer fits the schema is found here, not in
        // dev. A seed that fails blocks only an environment that seeds: staging and production never run it.
        problems.AddRange(await checker.ReplayAsync(scratch, contents, Seed(context, wanted: true), cancellationToken,
            seedFailureBlocks: context.TargetEnvironment.Seed || context.Flag("seed")));
    }
}
