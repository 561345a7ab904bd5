namespace Build.Deploy;

/// <summary>
/// The deploy failed on a host. Hosts already switched were rolled back (listed in <see cref="RolledBack"/>);
/// rollbacks that could not be done are in <see cref="NotRolledBack"/> with the reason.
/// </summary>
public sealed class DeployFailedException(
    DeployException failure,
    IReadOnlyList<HostRelease> rolledBack,
    IReadOnlyList<string> notRolledBack
) : Exception(Describe(failure, rolledBack, notRolledBack), failure)
{
    public DeployException Failure { get; } = failure;
    public IReadOnlyList<HostRelease> RolledBack { get; } = rolledBack;
    public IReadOnlyList<string> NotRolledBack { get; } = notRolledBack;

    private static string Describe(
        DeployException failure,
        IReadOnlyList<HostRelease> rolledBack,
        IReadOnlyList<string> notRolledBack
    )
    {
        var text = $"Deploy failed on {failure.Message}";
        if (rolledBack.Count > 0)
            text += " Rolled back: " + string.Join(", ", rolledBack.Select(r => $"{r.Host} to {r.Release}")) + ".";
        if (notRolledBack.Count > 0) text += " NOT rolled back: " + string.Join("; ", notRolledBack) + ".";
        return text;
    }
}
