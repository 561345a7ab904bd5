namespace Build.Host;

/// <summary>
/// An argument this task reads (<c>--name=value</c>, or <c>--name</c> alone for a switch). The host refuses every
/// argument that no task of the run declares, checks the value against <see cref="TaskArgumentAttribute.ValueType"/>
/// before anything runs, and lists the declarations under <c>--help --target=X</c>. Use the generic form:
/// <c>[TaskArgument&lt;int&gt;("steps", "How many ...")]</c>; <c>bool</c> is a switch.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public abstract class TaskArgumentAttribute(string name, string description, Type valueType) : Attribute
{
    public string Name { get; } = name;
    public string Description { get; } = description;
    /// <summary>string, bool (a switch), int, or double.</summary>
    public Type ValueType { get; } = valueType;
    /// <summary>The argument may be given more than once (every value is read).</summary>
    public bool Repeatable { get; init; }
    /// <summary>What to write after <c>=</c> in help text (default from the type: N, TEXT...).</summary>
    public string? Placeholder { get; init; }
}
/// <inheritdoc cref="TaskArgumentAttribute"/>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class TaskArgumentAttribute<T>(string name, string description)
    : TaskArgumentAttribute(name, description, typeof(T));
