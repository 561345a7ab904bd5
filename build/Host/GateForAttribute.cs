namespace Build.Host;

/// <summary>What a gate task guards (see <see cref="GateForAttribute"/>).</summary>
public enum Gate
{
    /// <summary>Runs before every task whose [ChangesEnvironment] has Approval.</summary>
    Approval,
    /// <summary>Runs before every task whose [ChangesEnvironment] has BackupFirst.</summary>
    Backup,
}

/// <summary>The task is a gate: the catalog puts it before every task whose policy asks for it, so a new task that
/// changes an environment gets its gates by declaring [ChangesEnvironment], with no list to update.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GateForAttribute(Gate gate) : Attribute
{
    public Gate Gate { get; } = gate;
}

/// <summary>The task has a dry run of its own (it shows what it would change and changes nothing): under --dryrun
/// the host runs it, with <c>--dryrun</c> visible to it, instead of only listing it.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class OwnDryRunAttribute : Attribute;
