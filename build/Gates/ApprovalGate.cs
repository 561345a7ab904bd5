namespace Build.Gates;

/// <summary>
/// Decides whether a change to an environment that needs approval may go on. Under GitHub Actions, only GitHub's API
/// proves it: an approval of this very run (GITHUB_RUN_ID, still in progress) for the environment. GITHUB_* variables
/// can be set by anyone, so without that proof the run is a shell like any other: <c>--confirm=&lt;env&gt;</c> or
/// nothing. A reviewer's rejection is final, whatever the command line says.
/// </summary>
public sealed class ApprovalGate(Func<string, string?> variable, HttpClient http, string? repository)
{
    public async Task<Approval> DecideAsync(
        string approvalOf,
        string reason,
        string? confirm,
        CancellationToken cancellationToken = default
    )
    {
        var why = await AskGitHubAsync(approvalOf, cancellationToken);
        if (why.Approval is { } approval)
            return approval;
        if (string.Equals(confirm, approvalOf, StringComparison.Ordinal))
            return new Approval(approvalOf, null, $"--confirm={approvalOf}");
        throw new ApprovalRefusedException(
            $"{reason}: a change needs the approval of '{approvalOf}'. " +
            (why.Note is { } note ? note + " " : "") +
            $"Run it from its GitHub workflow (the '{approvalOf}' environment's reviewers approve the job), " +
            $"or confirm from this shell with --confirm={approvalOf}. Nothing was changed.");
    }

    private async Task<(Approval? Approval, string? Note)> AskGitHubAsync(
        string environment,
        CancellationToken cancellationToken
    )
    {
        if (!string.Equals(variable("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase)) return (null, null);
        var runId = variable("GITHUB_RUN_ID");
        var token = variable("GITHUB_TOKEN");
        var repo = repository ?? variable("GITHUB_REPOSITORY");
        if (string.IsNullOrEmpty(runId) || string.IsNullOrEmpty(token) || string.IsNullOrEmpty(repo))
            return (
                null,
                "GITHUB_ACTIONS=true proves nothing on its own, and without GITHUB_RUN_ID, GITHUB_TOKEN and a " +
                "repository "
                    + "GitHub cannot be asked for this run's approval (the workflow passes GITHUB_TOKEN with " +
                    "permissions: actions: read)."
            );
        var apiBase = new Uri(variable("GITHUB_API_URL") is { Length: > 0 } url ? url : RunApprovals.DefaultApiBase);
        RunApprovalState state;
        try
        {
            state = await new RunApprovals(http, apiBase, token).ForRunAsync(
                repo,
                runId,
                environment,
                cancellationToken
            );
        }
        catch (Exception ex)
            when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return (null, $"GitHub could not confirm an approval of run {runId} for '{environment}' ({ex.Message}).");
        }
        if (state.RejectedBy.Count > 0)
            throw new ApprovalRefusedException(
                $"Run {runId}'s deployment to '{environment}' was rejected by {string.Join(", ", state.RejectedBy)} " +
                "on GitHub: nothing was changed, and --confirm does not overrule a reviewer."
            );
        if (state.RunStatus != "in_progress")
            return (
                null,
                $"Run {runId} of {repo} is {state.RunStatus ?? "unknown"}, not in progress: its approvals do not " +
                "approve this process."
            );
        if (state.ApprovedBy.Count == 0)
            return (
                null,
                $"GitHub has no approval of run {runId} for the '{environment}' environment (does the job declare " +
                $"`environment: {environment}`, with required reviewers?)."
            );
        return (
            new Approval(environment, string.Join(", ", state.ApprovedBy), $"run {runId} approved on GitHub"),
            null
        );
    }
}
