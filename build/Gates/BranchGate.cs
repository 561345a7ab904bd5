using Build.Configuration;

namespace Build.Gates;

/// <summary>Under GitHub Actions an environment changes only from its own branch (environments.json <c>branch</c>):
/// a workflow started by hand from a feature branch cannot deploy production. From a shell the approval gate
/// decides.</summary>
public static class BranchGate
{
    public static void Check(EnvironmentSettings environment, bool underActions, string? refName, string target)
    {
        if (!underActions || environment.Branch is not { Length: > 0 } branch) return;
        if (string.Equals(refName, branch, StringComparison.Ordinal)) return;
        throw new InvalidOperationException(
            $"{target} changes '{environment.Name}', which is built from the branch '{branch}' (environments.json), " +
            "but this workflow run is on "
                + $"{(string.IsNullOrEmpty(refName) ? "no branch (GITHUB_REF_NAME is not set)" : $"'{refName}'")}. " +
                $"Start it from '{branch}'. Nothing was changed."
        );
    }
}
