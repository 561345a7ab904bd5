using Build.Configuration;

namespace Build.Validation;

/// <summary>
/// Environments that share one Supabase project share their data: a migration rehearsed on "dev" lands in production.
/// Judged from the configuration alone (a run for one environment never reads another's secrets). Sharing is an
/// error for production and a warning elsewhere, unless the file accepts it with a reason; accepted sharing is
/// still printed on every run of those environments, so it stays visible.
/// </summary>
public static class SharedDatabaseCheck
{
    public const string Production = "production";

    public static IReadOnlyList<ValidationFinding> Check(EnvironmentsFile config, string environment)
    {
        var findings = new List<ValidationFinding>();
        foreach (var (other, projectRef) in Partners(config, environment))
        {
            var acceptance = FindAcceptance(config, environment, other);
            var subject = $"environments.{environment}.supabaseProjectRef";
            if (acceptance is not null)
                findings.Add(
                    new(Severity.Warning, subject, AcceptedMessage(environment, other, projectRef, acceptance.Reason))
                );
            else
                findings.Add(
                    new(
                        environment == Production || other == Production ? Severity.Error : Severity.Warning,
                        subject,
                        $"'{environment}' and '{other}' use the same Supabase project {projectRef}: what one does to " +
                        "the database the other sees. "
                            + "Give each its own project, or accept it in acceptedSharedDatabases with a reason."
                    )
                );
        }
        return findings;
    }

    /// <summary>The accepted sharings that concern <paramref name="environment"/>, as warnings for every run.</summary>
    public static IEnumerable<string> AcceptedWarnings(EnvironmentsFile config, string environment) =>
        Partners(config, environment)
            .Select(p => (p.Other, p.ProjectRef, Acceptance: FindAcceptance(config, environment, p.Other)))
            .Where(p => p.Acceptance is not null)
            .Select(p => AcceptedMessage(environment, p.Other, p.ProjectRef, p.Acceptance!.Reason));

    private static string AcceptedMessage(string environment, string other, string projectRef, string reason) =>
        $"'{environment}' shares Supabase project {projectRef} with '{other}' (accepted: {reason})";

    private static IEnumerable<(string Other, string ProjectRef)> Partners(EnvironmentsFile config, string environment)
    {
        if (!config.Environments.TryGetValue(environment, out var env) || env.SupabaseProjectRef is not { } projectRef)
            yield break;
        foreach (var (name, other) in config.Environments)
            if (name != environment && other.SupabaseProjectRef == projectRef)
                yield return (name, projectRef);
    }

    private static SharedDatabaseAcceptance? FindAcceptance(EnvironmentsFile config, string a, string b) =>
        config.AcceptedSharedDatabases.FirstOrDefault(x =>
            x.Environments.Contains(a) && x.Environments.Contains(b) && !string.IsNullOrWhiteSpace(x.Reason)
        );
}
