using Build.Deploy.Steps;

namespace Build.Deploy;

/// <summary>
/// The steps that put a release on disk live, in one script (one round trip), shared by deploy and rollback.
/// Blue/green: start it on the idle color and health-check it there, then switch Nginx and <c>current</c>, record the
/// revision, retire the old color, prune, unlock. Reload: move <c>current</c>, <c>pm2 startOrReload</c>, check (and move
/// back on failure), record, prune, unlock. <see cref="SwitchStepNames"/> are the steps after which the host may
/// already have moved: a failure there means the host has to be put back.
/// </summary>
internal sealed record GoLive(IReadOnlyList<IRemoteStep> Steps, IReadOnlySet<string> SwitchStepNames)
{
    /// <param name="expectedCommit">The commit the health check requires; null reads it from the release's manifest.</param>
    /// <param name="previous">The release live before (kept by pruning; the reload strategy's way back).</param>
    /// <param name="keepReleases">Prune to this many releases; null does not prune (rollback).</param>
    public static GoLive For(ReleaseLayout layout, DeploySettings settings, string release, string? expectedCommit, string? previous,
        string revisionEvent, string who, string lockToken, int? keepReleases)
    {
        IRemoteStep start;
        var switching = new List<IRemoteStep>();
        if (settings.Strategy == DeployStrategy.BlueGreen)
        {
            start = new StartCandidate(layout, settings, release, expectedCommit, who);
            switching.Add(new SwitchNginx(layout, settings, release));
            switching.Add(new SwitchCurrent(layout, release));
        }
        else
        {
            // ReloadInPlace moves current itself, before its health check: it belongs to the switch.
            start = new ReloadInPlace(layout, settings, release, previous, expectedCommit, who);
            switching.Add(start);
        }
        switching.Add(new RecordRevision(layout, revisionEvent, release, who));
        if (settings.Strategy == DeployStrategy.BlueGreen) switching.Add(new RetireOldColor(settings));
        if (keepReleases is { } keep) switching.Add(new PruneReleases(layout, keep, release, previous));
        switching.Add(new ReleaseLock(layout, lockToken));

        var steps = settings.Strategy == DeployStrategy.BlueGreen ? [start, .. switching] : switching;
        return new GoLive(steps, switching.Select(s => s.Name).ToHashSet(StringComparer.Ordinal));
    }
}
