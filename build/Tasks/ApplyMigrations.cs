using Build.Host;
using Build.Migrations.Database;
using Cake.Common.Diagnostics;
using static Build.Tasks.MigrationTaskSupport;

namespace Build.Tasks;

[TaskName(nameof(ApplyMigrations))]
[TaskDescription("Applies pending supabase/migrations to --env's database in one transaction under an advisory lock, recorded in the Supabase CLI's history; seed.sql for local/dev or --seed")]
[TaskArgument<bool>("seed", "Also run supabase/seed.sql (local and dev always do)")]
[TaskArgument<bool>("allow-out-of-order", "Apply migrations older than the newest applied one instead of refusing them")]
[IsDependentOn(typeof(CheckMigrations))]
[IsDependentOn(typeof(BackupDb))]
public sealed class ApplyMigrations : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var contents = LoadMigrations(context);
        var seed = Seed(context, context.Target.Seed || context.Flag("seed"));
        await using var target = await OpenTargetAsync(context);
        context.Information("Applying migrations to {0}", target.Description);

        var runner = new MigrationRunner(Options(context, seed), Progress(context));
        try
        {
            var result = await runner.ApplyAsync(target.ConnectionString, contents);
            context.MigrationsApplied = result.Applied.Select(a => a.File.FileName).ToList();
            if (context.Ci.IsGitHubActions) context.Ci.Summary(result.ToMarkdown(context.EnvironmentName));
            if (result.Applied.Count == 0) context.Information("Nothing to apply: {0} migration(s) already applied.", result.AlreadyApplied);
        }
        catch (MigrationCheckException e)
        {
            Report(context, e.Problems);
            throw;
        }
    }
}
