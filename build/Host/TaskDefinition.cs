using System.Reflection;

namespace Build.Host;

/// <summary>One task class, as read from its attributes.</summary>
public sealed record TaskDefinition(
    string Name,
    string Description,
    Type Type,
    IReadOnlyList<string> Dependencies,
    IReadOnlyList<string> Dependees,
    bool ContinueOnError,
    IReadOnlyList<TaskArgumentAttribute> Arguments,
    EnvironmentPolicy? Changes = null,
    bool HasWork = true,
    Gate? GateFor = null,
    bool OwnDryRun = false)
{
    /// <summary>A target with no work of its own: it only groups its dependencies (Deploy, Validate).</summary>
    public bool IsUmbrella => !HasWork;
}
