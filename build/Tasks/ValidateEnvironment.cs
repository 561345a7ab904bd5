using Build.Validation;

namespace Build.Tasks;

[TaskName(nameof(ValidateEnvironment))]
[TaskDescription(
    "Checks --env's configuration, every secret it needs (missing, malformed, from another project, wrong key role) " +
    "and shared databases, listing every problem at once; connects to nothing"
)]
public sealed class ValidateEnvironment : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        // The configuration was checked as a whole when the run started (a broken file stops every target).
        context.Information(
            "Configuration {0}: {1} environment(s), valid.",
            CiPath(context, context.ConfigPath),
            context.Config.Environments.Count
        );

        var validator = new SecretValidator(context.TargetEnvironment, context.Secrets);
        var findings = new List<ValidationFinding>();
        findings.AddRange(validator.Validate());
        findings.AddRange(DotEnvFileCheck.Check(context.Config, context.TargetEnvironment, context.RepositoryRoot));
        findings.AddRange(SharedDatabaseCheck.Check(context.Config, context.EnvironmentName)
            .Where(f => f.Severity == Severity.Error)); // accepted or minor sharing was already warned about at setup

        var required = validator.Required();
        context.Information("Secrets for '{0}': {1} required, {2} set.", context.EnvironmentName, required.Count,
            required.Count(context.Secrets.Has));
        ValidationReport.Print(context, findings);
    }

    private static string CiPath(BuildContext context, string path) =>
        Path.GetRelativePath(context.RepositoryRoot, path);
}
