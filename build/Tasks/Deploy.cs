namespace Build.Tasks;

[TaskName(nameof(Deploy))]
[TaskDescription(
    "The whole release for --env: Validate, PackageApp (or --artifact=), ApplyMigrations, DeployVps, VerifyDeploy " +
    "(automatic rollback on a failed health check)"
)]
// Build before touching the database: a build that fails must leave every environment as it was.
[IsDependentOn(typeof(Validate))]
[IsDependentOn(typeof(PackageApp))]
[IsDependentOn(typeof(ApplyMigrations))]
[IsDependentOn(typeof(VerifyDeploy))]
[ChangesEnvironment(Announce = true)]
public sealed class Deploy : FrostingTask<BuildContext>;
