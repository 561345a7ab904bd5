using Build.Gates;

namespace Build.Tasks;

/// <summary>
/// The approval gate: runs before every task declared [ChangesEnvironment] (Approval) when the environment, or one
/// sharing its database, has requiresApproval. Under GitHub Actions GitHub's API must confirm that a reviewer
/// approved this run for that environment; anything else is a shell, where the person types the name (--confirm).
/// </summary>
[TaskName(nameof(ConfirmEnvironment))]
[TaskDescription(
    "Before every target that changes an environment with requiresApproval (production, and dev which shares its " +
    "database): passes when GitHub's API confirms a reviewer approved this workflow run for it, or with " +
    "--confirm=<env>; refuses otherwise"
)]
[GateFor(Gate.Approval)]
[TaskArgument<string>(
    "confirm",
    "Confirms a change to an environment that requires approval, from a shell: type its name (--confirm=production)",
    Placeholder = "ENV"
)]
public sealed class ConfirmEnvironment : AsyncFrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context) => context.Gates.RequiresApproval;

    public override string SkipReason(BuildContext context) =>
        $"'{context.EnvironmentName}' needs no approval (requiresApproval is not set for it or for an environment " +
        "sharing its database)";

    /// <summary>Approved already, or typed in this shell (--confirm=&lt;env&gt;), or, under GitHub Actions, confirmed
    /// by the API now. Until then a run's other checks wait: the approval is asked first, and its refusal is reported
    /// by this task when it runs.</summary>
    public static bool IsApproved(BuildContext context)
    {
        if (context.Approval is not null) return true;
        // Under Actions GitHub is asked even with --confirm: a reviewer's rejection comes before anything else.
        if (!context.Ci.IsGitHubActions)
            return string.Equals(context.Arg("confirm"), context.Gates.ApprovalOf, StringComparison.Ordinal);
        try
        {
            CheckAsync(context).GetAwaiter().GetResult();
            return true;
        }
        catch (ApprovalRefusedException)
        {
            return false;
        }
    }

    public override Task RunAsync(BuildContext context) => CheckAsync(context);

    /// <summary>Also called at setup, so that --exclusive (which skips this task) cannot skip the approval.</summary>
    public static async Task CheckAsync(BuildContext context)
    {
        if (context.Approval is not null) return;
        var gates = context.Gates;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var gate = new ApprovalGate(context.Variable, http, context.Config.Project.Repository);
        var approval = await gate.DecideAsync(gates.ApprovalOf!, gates.Reason, context.Arg("confirm"));
        context.Approval = approval;
        if (approval.ByReviewer)
        {
            context.Information(
                "'{0}' approved on GitHub by {1} ({2}).",
                approval.Environment,
                approval.Approver,
                approval.How
            );
            context.Ci.Summary(
                $"### Approval\n\n`{context.EnvironmentName}` changed with the approval of **{approval.Approver}** " +
                $"for `{approval.Environment}` ({approval.How}).\n"
            );
        }
        else
            context.Warning("{0}: confirmed on the command line ({1}).", gates.Reason, approval.How);
    }
}
