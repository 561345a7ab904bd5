namespace Build.Configuration;

/// <summary>
/// A repository-level secret (for jobs with no GitHub environment, such as deploy-production's package job) and where
/// its value comes from: one environment's variable, read like that environment's secrets (process, then
/// .env.&lt;env&gt;).
/// </summary>
public sealed class GitHubRepositorySecretSettings
{
    /// <summary>The environment (in this file) whose secrets hold the value.</summary>
    public required string Environment { get; set; }
    /// <summary>The variable read in that environment's store, e.g. NEXT_SERVER_ACTIONS_ENCRYPTION_KEY.</summary>
    public required string Variable { get; set; }
}
