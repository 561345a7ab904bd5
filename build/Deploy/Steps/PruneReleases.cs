namespace Build.Deploy.Steps;

/// <summary>
/// Keeps the newest <see cref="Keep"/> releases that served traffic and did not fail (failed ones do not count, so
/// they never push a good rollback target out), the live and the previous one, and the newest failed one for
/// inspection; renames the rest out of the release names (<see cref="ReleaseLayout.Pruned"/>) and deletes them in the
/// background, so that the deploy does not wait for an <c>rm -rf</c> of a large release (its output goes to
/// <see cref="ReleaseLayout.PruneLog"/>). <see cref="DeployPlanner.Prune"/> is the same rule, for the plan.
/// </summary>
public sealed record PruneReleases(ReleaseLayout Layout, int Keep, string Live, string? Previous) : IRemoteStep
{
    public string Name => "prune";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) => script
        .Set("releases_dir", Layout.Releases).Set("release_pattern", ReleaseLayout.ReleaseNamePattern)
        .Set("failed_marker", ReleaseLayout.FailedMarker).Set("went_live_marker", ReleaseLayout.WentLiveMarker)
        .Set("keep", Keep).Set("live_release", Live).Set("previous_release", Previous ?? Live)
        .Set("pruned_prefix", Layout.Pruned("")).Set("prune_log", Layout.PruneLog)
        .Include("prune.sh");
}
