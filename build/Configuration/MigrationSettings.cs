namespace Build.Configuration;

/// <summary>An environment's <c>migrations</c>: the timeouts migrations run under.</summary>
public sealed class MigrationSettings
{
    public string LockTimeout { get; set; } = "5s";
    public string StatementTimeout { get; set; } = "60s";
    public int AdvisoryLockWaitSeconds { get; set; } = 120;
}
