namespace Build.Configuration;

public sealed class GitHubEnvironmentSettings
{
    /// <summary>Who approves a deployment: @user or @org/team (up to 6).</summary>
    public List<string> Reviewers { get; set; } = [];
    /// <summary>Minutes GitHub waits before the job may start (0-43200).</summary>
    public int WaitMinutes { get; set; }
    /// <summary>Secret variables synced into the GitHub environment (values from the process or
    /// .env.&lt;env&gt;).</summary>
    public List<string> Secrets { get; set; } = [];
    /// <summary>Plain variables set on the GitHub environment.</summary>
    public Dictionary<string, string> Variables { get; set; } = new(StringComparer.Ordinal);
}
