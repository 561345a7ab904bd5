using Build.Host;
using Cake.Common.Diagnostics;

namespace Build.Tasks;

/// <summary>
/// An environment marked requiresApproval (production) is changed only with approval: under GitHub Actions the
/// workflow's environment has required reviewers, who approved before the job started; from a shell, the person
/// types the environment's name. Runs before every target that changes the environment.
/// </summary>
[TaskName(nameof(ConfirmEnvironment))]
[TaskDescription("Before ApplyMigrations, DeployVps and Rollback on an environment with requiresApproval (production): passes under GitHub Actions (the environment's reviewers approved the job) or with --confirm=<env>; refuses otherwise")]
[TaskArgument<string>("confirm", "Confirms a change to an environment that requires approval, from a shell: type its name (--confirm=production)", Placeholder = "ENV")]
[IsDependeeOf(typeof(ApplyMigrations))]
[IsDependeeOf(typeof(DeployVps))]
[IsDependeeOf(typeof(Rollback))]
public sealed class ConfirmEnvironment : FrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context) => context.Target.RequiresApproval;

    /// <summary>The targets that change an environment and so need its confirmation.</summary>
    public static readonly IReadOnlySet<string> ChangingTargets = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { nameof(ApplyMigrations), nameof(DeployVps), nameof(Rollback), nameof(RollbackMigrations) };

    public override void Run(BuildContext context) => Check(context);

    /// <summary>Also called at setup, so that --exclusive (which skips this task) cannot skip the confirmation.</summary>
    public static void Check(BuildContext context)
    {
        var environment = context.EnvironmentName;
        if (context.Ci.IsGitHubActions)
        {
            context.Information("'{0}' requires approval: running under GitHub Actions, approved through the workflow's '{0}' environment.", environment);
            context.Approval = $"the '{environment}' GitHub environment's reviewers (run started by {context.Variable("GITHUB_ACTOR") ?? "unknown"})";
            return;
        }
        if (string.Equals(context.Arg("confirm"), environment, StringComparison.Ordinal))
        {
            context.Warning("'{0}' requires approval: confirmed on the command line (--confirm={0}).", environment);
            context.Approval = $"{Environment.UserName} with --confirm={environment}";
            return;
        }
        throw new InvalidOperationException(
            $"'{environment}' requires approval (requiresApproval in environments.json): run it from its GitHub workflow, " +
            $"or confirm from this shell with --confirm={environment}. Nothing was changed.");
    }
}
