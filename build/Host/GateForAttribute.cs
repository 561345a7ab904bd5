namespace Build.Host;

/// <summary>The task is a gate: the catalog puts it before every task whose policy asks for it, so a new task that
/// changes an environment gets its gates by declaring [ChangesEnvironment], with no list to update.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GateForAttribute(Gate gate) : Attribute
{
    public Gate Gate { get; } = gate;
}
