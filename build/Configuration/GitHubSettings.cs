namespace Build.Configuration;

/// <summary>
/// How the GitHub repository guards the environments (ConfigureGitHub): branch protection, CODEOWNERS, the GitHub
/// environments with their reviewers, branch policy, secrets and variables, and the repository secrets. Values of
/// secrets are never here: only the names, read from the process environment or <c>.env.&lt;env&gt;</c> when synced.
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
    /// <summary>Repository secrets by name, each from one environment's variable: what jobs without a GitHub
    /// environment read (deploy-production's package job builds staging's and production's artifacts).</summary>
    public Dictionary<string, GitHubRepositorySecretSettings> RepositorySecrets { get; set; } =
        new(StringComparer.Ordinal);
}
