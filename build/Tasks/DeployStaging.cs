namespace Build.Tasks;

[TaskName(nameof(DeployStaging))]
[TaskDescription("Deploy for staging (the staging workflow's target): always --env=staging")]
[TargetEnvironment("staging")]
[IsDependentOn(typeof(Deploy))]
[ChangesEnvironment(Announce = true)]
public sealed class DeployStaging : FrostingTask<BuildContext>;
