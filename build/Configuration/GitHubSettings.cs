namespace Build.Configuration;

/// <summary>
/// How the GitHub repository guards the environments (ConfigureGitHub): branch protection, CODEOWNERS, the GitHub
/// environments with their reviewers, branch policy, secrets and variables. Values of secrets are never here: only
/// the names, read from the process environment or <c>.env.&lt;env&gt;</c> when synced.
/// </summary>
public sealed class GitHubSettings
{
    /// <summary>Status checks (job names) every protected branch requires before a merge.</summary>
    public List<string> RequiredChecks { get; set; } = [];
    /// <summary>CODEOWNERS lines: a path pattern to its owners (@user or @org/team), in order.</summary>
    public Dictionary<string, List<string>> CodeOwners { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Protected branches by name (dev, staging, main).</summary>
    public Dictionary<string, BranchProtectionSettings> Protection { get; set; } = new(StringComparer.Ordinal);
    /// <summary>GitHub environments by the name of the environment in this file (staging, production).</summary>
    public Dictionary<string, GitHubEnvironmentSettings> Environments { get; set; } = new(StringComparer.Ordinal);
}

public sealed class BranchProtectionSettings
{
    /// <summary>Approving reviews a pull request needs; 0 still requires a pull request.</summary>
    public int RequiredApprovals { get; set; }
    /// <summary>A CODEOWNERS owner must be among the approvers.</summary>
    public bool CodeOwnerReviews { get; set; }
    /// <summary>Extra checks for this branch, on top of github.requiredChecks (CheckPromotion's job on staging and main).</summary>
    public List<string> RequiredChecks { get; set; } = [];
}

public sealed class GitHubEnvironmentSettings
{
    /// <summary>Who approves a deployment: @user or @org/team (up to 6).</summary>
    public List<string> Reviewers { get; set; } = [];
    /// <summary>Minutes GitHub waits before the job may start (0-43200).</summary>
    public int WaitMinutes { get; set; }
    /// <summary>Secret variables synced into the GitHub environment (values from the process or .env.&lt;env&gt;).</summary>
    public List<string> Secrets { get; set; } = [];
    /// <summary>Plain variables set on the GitHub environment.</summary>
    public Dictionary<string, string> Variables { get; set; } = new(StringComparer.Ordinal);
}
