using Build.Host;

namespace Build.Tasks;

[TaskName(nameof(Deploy))]
[TaskDescription("The whole release for --env: Validate, PackageApp (or --artifact=), DeployVps, VerifyDeploy (automatic rollback on a failed health check)")]
[IsDependentOn(typeof(Validate))]
[IsDependentOn(typeof(PackageApp))]
[IsDependentOn(typeof(VerifyDeploy))]
public sealed class Deploy : FrostingTask<BuildContext>;
