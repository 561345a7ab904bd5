using Build.Host;

namespace Build.Tasks;

[TaskName(nameof(DeployProduction))]
[TaskDescription("Deploy for production (the production workflow's target, behind the GitHub environment's approval): always --env=production; pass --artifact= to ship the bytes staging received")]
[TargetEnvironment("production")]
[IsDependentOn(typeof(Deploy))]
[ChangesEnvironment(Announce = true)]
public sealed class DeployProduction : FrostingTask<BuildContext>;
