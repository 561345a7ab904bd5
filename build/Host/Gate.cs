namespace Build.Host;

/// <summary>What a gate task guards (see <see cref="GateForAttribute"/>).</summary>
public enum Gate
{
    /// <summary>Runs before every task whose [ChangesEnvironment] has Approval.</summary>
    Approval,
    /// <summary>Runs before every task whose [ChangesEnvironment] has BackupFirst.</summary>
    Backup,
}
