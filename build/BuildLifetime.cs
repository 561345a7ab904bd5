using Build.Host;
using Build.Notifications;
using Cake.Common.Diagnostics;
using Cake.Core;

namespace Build;

/// <summary>Around the whole run: says which environment this is before anything happens.</summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        context.RunTarget = info.TargetTask.Name;
        // --exclusive runs the target alone, without ConfirmEnvironment: the confirmation is then asked here.
        var tasks = context.Flag("exclusive") ? [info.TargetTask.Name] : info.TasksToExecute.Select(t => t.Name).ToList();
        if (!context.IsDryRun && context.Target.RequiresApproval && !tasks.Contains(nameof(Tasks.ConfirmEnvironment))
            && tasks.Any(Tasks.ConfirmEnvironment.ChangingTargets.Contains))
            Tasks.ConfirmEnvironment.Check(context);
        var env = context.Target;
        context.Information("Environment: {0} ({1}){2}", env.Name, env.Description ?? "no description",
            env.SupabaseProjectRef is { } r ? $", Supabase project {r}" : "");
        foreach (var warning in Validation.SharedDatabaseCheck.AcceptedWarnings(context.Config, env.Name))
        {
            context.Warning(warning);
            context.Ci.Warning(warning, title: "Shared database");
        }
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        if (context.IsDryRun) return;
        AnnounceDeploy(context, info);
        WriteCiSummary(context, info);
    }

    /// <summary>A target that changes an environment tells its channels how it ended. Nothing here may change or hide
    /// the run's result: a delivery problem, or any error while building the notice, is a warning.</summary>
    private static void AnnounceDeploy(BuildContext context, ITeardownContext info)
    {
        if (!DeployNotifications.Announces(context.RunTarget)) return;
        try
        {
            var problems = DeployNotifications.SendAsync(context, context.Masker.Apply(BuildNotice(context, info).Text())).GetAwaiter().GetResult();
            foreach (var problem in problems)
            {
                context.Warning("Notification not delivered: {0}", problem);
                context.Ci.Warning($"Notification not delivered: {problem}", title: "Notify");
            }
        }
        catch (Exception ex)
        {
            context.Warning("Notification not sent: {0}", context.Masker.Apply(ex.Message));
        }
    }

    internal static Notice BuildNotice(BuildContext context, ITeardownContext info)
    {
        var failedTask = context.Outcomes.FirstOrDefault(o => o.Status == "failed")?.Task;
        var rolledBack = context.MigrationsRolledBack is not null;
        var migrations = context.MigrationsRolledBack ?? context.MigrationsApplied;
        var ranMigrations = context.Outcomes.Any(o => o.Task is nameof(Tasks.ApplyMigrations) && o.Status != "skipped");
        string? backup = context.BackupTaken;
        if (backup is null && ranMigrations)
            backup = context.Target.Backup.BeforeMigrations ? "none (the run stopped before it)" : "none (backup.beforeMigrations is off for this environment)";
        return new Notice
        {
            Environment = context.EnvironmentName,
            Target = context.RunTarget,
            Succeeded = info.Successful,
            Commit = context.DeployedCommit ?? context.Variable("GITHUB_SHA"),
            Duration = context.Outcomes.Aggregate(TimeSpan.Zero, (sum, o) => sum + o.Duration),
            FailedTask = info.Successful ? null : failedTask,
            Error = info.ThrownException is { } ex ? ex.Message.Split('\n')[0].Trim() : null,
            Migrations = migrations,
            MigrationsVerb = rolledBack ? "rolled back" : "applied",
            Backup = backup,
            Approver = context.Approval,
            RunUrl = DeployNotifications.RunUrl(context.Variable),
            AppUrl = context.Target.PublicUrl,
        };
    }

    private static void WriteCiSummary(BuildContext context, ITeardownContext info)
    {
        if (!context.Ci.IsGitHubActions) return;
        var verdict = info.Successful ? "succeeded" : "failed";
        var rows = context.Outcomes.Select(o => $"| {o.Task} | {o.Status} | {o.Duration.TotalSeconds:0.0} s |");
        var error = info.ThrownException is { } ex ? $"\n\n> {ex.Message.Split('\n')[0]}" : "";
        context.Ci.Summary($"### {(info.Successful ? "✅" : "❌")} `{context.RunTarget}` on `{context.EnvironmentName}` {verdict}{error}\n\n" +
                           "| Task | Status | Duration |\n|---|---|---|\n" + string.Join("\n", rows));
    }
}

/// <summary>Around each task: a collapsible group under GitHub Actions.</summary>
public sealed class BuildTaskLifetime : FrostingTaskLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ITaskSetupContext info) => context.Ci.BeginGroup(info.Task.Name);
    public override void Teardown(BuildContext context, ITaskTeardownContext info)
    {
        context.Outcomes.Add(new TaskOutcome(info.Task.Name, info.Duration, info.Skipped ? "skipped" : info.Successful ? "succeeded" : "failed"));
        context.Ci.EndGroup();
    }
}
