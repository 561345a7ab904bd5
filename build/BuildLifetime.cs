using System.Reflection;
using Build.Secrets;
using Build.Notifications;
using Cake.Core;

namespace Build;

/// <summary>Around the whole run: says which environment this is before anything happens, and applies the policies
/// the tasks declare ([ChangesEnvironment]) that --exclusive would otherwise skip.</summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        StartupTrace.Mark("lifetime: setup");
        context.RunTarget = info.TargetTask.Name;
        var env = context.TargetEnvironment;
        if (!context.IsDryRun) CheckBranch(context, info);
        CheckSecrets(context, info);
        context.Information("Environment: {0} ({1}){2}", env.Name, env.Description ?? "no description",
            env.SupabaseProjectRef is { } r ? $", Supabase project {r}" : "");
        foreach (var warning in Validation.SharedDatabaseCheck.AcceptedWarnings(context.Config, env.Name))
        {
            context.Warning(warning);
            context.Ci.Warning(warning, title: "Shared database");
        }
        StartupTrace.Mark("lifetime: checks done");
        if (context.IsDryRun) return;

        // --exclusive runs the target alone, without its gate tasks: their checks then happen here.
        var tasks = context.Flag("exclusive")
            ? [info.TargetTask.Name]
            : info.TasksToExecute.Select(t => t.Name).ToList();
        context.PlannedTasks = tasks;
        var policies = tasks
            .Select(t => Program.Catalog.Find(t))
            .Where(t => t is { HasWork: true })
            .Select(t => t!.Changes)
            .OfType<EnvironmentPolicy>()
            .ToList();
        if (
            context.Gates.RequiresApproval
            && policies.Any(p => p.Approval)
            && !tasks.Contains(nameof(Tasks.ConfirmEnvironment))
        )
            Tasks.ConfirmEnvironment.CheckAsync(context).GetAwaiter().GetResult();
        if (context.Gates.BackupFirst && policies.Any(p => p.BackupFirst) && !tasks.Contains(nameof(Tasks.BackupDb)))
        {
            context.Information(
                "--exclusive skips BackupDb, but {0} writes to the database: backing it up first.",
                info.TargetTask.Name
            );
            Tasks.BackupDb.BackUpAsync(context).GetAwaiter().GetResult();
        }
    }

    /// <summary>Under Actions, a run that changes the environment must be on its branch (before anything is
    /// asked).</summary>
    private static void CheckBranch(BuildContext context, ISetupContext info)
    {
        var names = context.Flag("exclusive")
            ? [info.TargetTask.Name]
            : info.TasksToExecute.Select(t => t.Name).ToList();
        if (names.Any(n => Program.Catalog.Find(n) is { HasWork: true, Changes: not null }))
            Gates.BranchGate.Check(
                context.TargetEnvironment,
                context.Ci.IsGitHubActions,
                context.Variable("GITHUB_REF_NAME"),
                info.TargetTask.Name
            );
    }

    /// <summary>Every secret the run's tasks declare, checked before the first task: a run that cannot finish fails
    /// now, naming the variables, instead of after a replay of every migration. A dry run only warns.</summary>
    private static void CheckSecrets(BuildContext context, ISetupContext info)
    {
        // An environment that needs approval asks for it first (ConfirmEnvironment): its secrets matter only after.
        var catalog = Program.Catalog;
        var names = context.Flag("exclusive")
            ? [info.TargetTask.Name]
            : info.TasksToExecute.Select(t => t.Name).ToList();
        var needsApproval =
            context.Gates.RequiresApproval
            && names.Any(n => catalog.Find(n) is { HasWork: true, Changes.Approval: true });
        if (needsApproval && !context.IsDryRun && !Tasks.ConfirmEnvironment.IsApproved(context))
            return;
        var tasks = names
            .Select(catalog.Find)
            .OfType<TaskDefinition>()
            .Select(t => (t.Name, Secrets: t.Type.GetCustomAttribute<NeedsSecretsAttribute>()?.Secrets ?? []))
            .Where(t =>
                t.Secrets.Count > 0 && (t.Name != nameof(Tasks.BackupDb) || new Tasks.BackupDb().ShouldRun(context))
            );
        var missing = RunSecretCheck.Check(tasks, context.TargetEnvironment, context.Secrets);
        if (missing.Count == 0) return;
        var message = RunSecretCheck.Describe(context.RunTarget, context.EnvironmentName, missing);
        if (context.IsDryRun) context.Warning(message.Replace(" Nothing was run.", ""));
        else throw new InvalidOperationException(message);
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        if (context.IsDryRun) return;
        AnnounceOutcome(context, info);
        WriteCiSummary(context, info);
    }

    /// <summary>A target declared [ChangesEnvironment(Announce)] tells the environment's channels how it ended; a
    /// success only when a task that changes the environment really ran. Nothing here may change or hide the run's
    /// result: a delivery problem, or any error while building the notice, is a warning.</summary>
    private static void AnnounceOutcome(BuildContext context, ITeardownContext info)
    {
        if (Program.Catalog.Find(context.RunTarget)?.Changes is not { Announce: true })
            return;
        if (
            info.Successful
            && !context.Outcomes.Any(o =>
                o.Status == "succeeded" && Program.Catalog.Find(o.Task) is { HasWork: true, Changes: not null }
            )
        )
        {
            context.Information("No notification: nothing in this run changed {0}.", context.EnvironmentName);
            return;
        }
        try
        {
            var problems = DeployNotifications
                .SendAsync(context, BuildNotice(context, info).Text())
                .GetAwaiter()
                .GetResult();
            foreach (var problem in problems)
            {
                context.Warning("Notification not delivered: {0}", problem);
                context.Ci.Warning($"Notification not delivered: {problem}", title: "Notify");
            }
        }
        catch (Exception ex)
        {
            context.Warning("Notification not sent: {0}", ex.Message);
        }
    }

    internal static Notice BuildNotice(BuildContext context, ITeardownContext info)
    {
        var failedTask = context.Outcomes.FirstOrDefault(o => o.Status == "failed")?.Task;
        var rolledBack = context.MigrationsRolledBack is not null;
        var migrations = context.MigrationsRolledBack ?? context.MigrationsApplied;
        var ranMigrations = context.Outcomes.Any(o =>
            o.Task is nameof(Tasks.ApplyMigrations) or nameof(Tasks.RollbackMigrations) && o.Status != "skipped"
        );
        string? backup = context.BackupTaken;
        if (backup is null && ranMigrations)
            backup = context.Gates.BackupFirst
                ? "none (the run stopped before it)"
                : "none (backup.beforeMigrations is off for this environment)";
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
            Approver = context.Approval is { } approval ? approval.Approver ?? approval.How : null,
            RunUrl = DeployNotifications.RunUrl(context.Variable),
            AppUrl = context.TargetEnvironment.PublicUrl,
        };
    }

    private static void WriteCiSummary(BuildContext context, ITeardownContext info)
    {
        if (!context.Ci.IsGitHubActions) return;
        var verdict = info.Successful ? "succeeded" : "failed";
        var rows = context.Outcomes.Select(o => $"| {o.Task} | {o.Status} | {o.Duration.TotalSeconds:0.0} s |");
        var error = info.ThrownException is { } ex ? $"\n\n> {ex.Message.Split('\n')[0]}" : "";
        var approval = context.Approval is { Approver: { } approver } a
            ? $"\n\nApproved for `{a.Environment}` by **{approver}**."
            : "";
        context.Ci.Summary(
            $"### {(info.Successful ? "✅" : "❌")} `{context.RunTarget}` on `{context.EnvironmentName}` {verdict}" +
            $"{error}{approval}\n\n"
                + "| Task | Status | Duration |\n|---|---|---|\n"
                + string.Join("\n", rows)
        );
    }
}
