namespace Build.Host;

/// <summary>This task runs before <see cref="Task"/> (the reverse edge of
/// <see cref="IsDependentOnAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class IsDependeeOfAttribute(Type task) : Attribute
{
    public Type Task { get; } = task;
}
