using Build.Configuration;
using Build.Deploy;

namespace Build.Secrets;

/// <summary>Which of the secrets a run's tasks need are unset, named as the variables users set.</summary>
public static class RunSecretCheck
{
    public sealed record Missing(IReadOnlyList<string> Variables, IReadOnlyList<string> NeededBy);

    /// <param name="tasks">The tasks about to run, each with the secrets it declares.</param>
    public static IReadOnlyList<Missing> Check(IEnumerable<(string Task, IReadOnlyList<SecretName> Secrets)> tasks,
        EnvironmentSettings environment, SecretStore secrets)
    {
        var missing = new Dictionary<SecretName, List<string>>();
        foreach (var (task, names) in tasks)
            foreach (var name in names.Where(n => IsNeeded(n, environment) && !secrets.Has(n)))
            {
                if (!missing.TryGetValue(name, out var by)) missing[name] = by = [];
                by.Add(task);
            }
        return missing.OrderBy(p => p.Key).Select(p => new Missing(secrets.VariablesFor(p.Key), p.Value)).ToList();
    }

    public static string Describe(string target, string environment, IReadOnlyList<Missing> missing) =>
        $"{target} --env={environment} needs {(missing.Count == 1 ? "a secret that is" : "secrets that are")} not set: "
        + string.Join(
            "; ",
            missing.Select(m => $"{string.Join(" or ", m.Variables)} (for {string.Join(", ", m.NeededBy)})")
        )
        + $". Set {(missing.Count == 1 ? "it" : "them")} in the environment or in .env.{environment} (copy .env." +
        $"{environment}.template), "
        + $"or check them all with ./build.sh --target=ValidateEnvironment --env={environment}. Nothing was run.";

    /// <summary>Fallbacks: local's own database; VPS secrets only for the ssh transport, and only what
    /// environments.json does not already say.</summary>
    private static bool IsNeeded(SecretName name, EnvironmentSettings environment) => name switch
    {
        SecretName.DatabaseUrl => environment.Name != "local",
        SecretName.VpsHost => IsSsh(environment) && environment.Vps!.Hosts.Count == 0,
        SecretName.VpsUser => IsSsh(environment) && environment.Vps!.User is null,
        SecretName.VpsSshKey => IsSsh(environment),
        _ => true,
    };

    private static bool IsSsh(EnvironmentSettings environment) => environment.Vps?.Transport == DeployTransport.Ssh;
}
