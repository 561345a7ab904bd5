namespace Build;

/// <summary>The target is made for one environment (DeployStaging deploys staging): it is the default --env for it,
/// and another --env is refused, so that a typo cannot point a staging deploy at production.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TargetEnvironmentAttribute(string environment) : Attribute
{
    public string Environment { get; } = environment;
}
