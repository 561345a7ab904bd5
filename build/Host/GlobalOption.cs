namespace Build.Host;

/// <summary>An option of the host (Cake.Frosting's names and aliases) or of the suite, not of a task.</summary>
/// <param name="Placeholder">What follows <c>=</c> (TARGET, PATH...); null for a switch.</param>
public sealed record GlobalOption(string Name, IReadOnlyList<string> Aliases, string? Placeholder, string Description)
{
    public bool IsSwitch => Placeholder is null;

    /// <summary>A value to show in "needs a value, for example ..." (default: the placeholder).</summary>
    public string? Example { get; init; }

    public string Usage => IsSwitch ? $"--{Name}" : $"--{Name}={Placeholder}";
}
