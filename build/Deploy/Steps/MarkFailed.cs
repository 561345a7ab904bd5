namespace Build.Deploy.Steps;

/// <summary>Marks a release failed (a check failed after it went live, e.g. VerifyDeploy): it is never again a
/// default rollback target, and <c>--to=</c> refuses it. Needs <see cref="DefineMarkFailed"/> before it.</summary>
public sealed record MarkFailed(ReleaseLayout Layout, string ReleaseName, string Reason) : IRemoteStep
{
    public string Name => "mark-failed";
    public IReadOnlyCollection<string> Needs => ["mark_failed"];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) =>
        script
            .Set("mark_release_dir", Layout.Release(ReleaseName))
            .Set("mark_release", ReleaseName)
            .Set("mark_reason", Reason)
            .Include("mark-failed.sh");
}
