namespace Build.Secrets;

/// <summary>
/// The secrets a task reads. Before the first task of a run, every secret the run's tasks need is checked at once
/// (<see cref="RunSecretCheck"/>), so that a missing one stops the run before anything slow or changing happens.
/// Where a secret has a fallback (local's own database, VPS hosts written in environments.json, the local transport),
/// the check knows it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NeedsSecretsAttribute(params SecretName[] secrets) : Attribute
{
    public IReadOnlyList<SecretName> Secrets { get; } = secrets;
}
