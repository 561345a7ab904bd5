namespace Build.Host;

// The same attribute names and shapes as Cake.Frosting, so that moving to it is a package swap.

/// <summary>The name a task is called by on the command line (<c>--target=Name</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TaskNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
