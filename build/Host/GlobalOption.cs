namespace Build.Host;

/// <summary>An option of the host itself (not of a task), with Cake.Frosting's names and aliases.</summary>
/// <param name="Placeholder">What follows <c>=</c> (TARGET, PATH...); null for a switch.</param>
public sealed record GlobalOption(string Name, IReadOnlyList<string> Aliases, string? Placeholder, string Description)
{
    public bool IsSwitch => Placeholder is null;

    public string Usage => IsSwitch ? $"--{Name}" : $"--{Name}={Placeholder}";
}
