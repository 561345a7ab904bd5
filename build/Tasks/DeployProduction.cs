namespace Build.Tasks;

[TaskName(nameof(DeployProduction))]
[TaskDescription(
    "Deploy for production (the production workflow's target, behind the GitHub environment's approval): always " +
    "--env=production; --artifact= ships an artifact built for production (the workflow passes the one its package " +
    "job built from the pushed commit)"
)]
[TargetEnvironment("production")]
[IsDependentOn(typeof(Deploy))]
[ChangesEnvironment(Announce = true)]
public sealed class DeployProduction : FrostingTask<BuildContext>;
