namespace Build.Host;

/// <summary>The one-line description shown by <c>--description</c> and in the docs.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TaskDescriptionAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}
