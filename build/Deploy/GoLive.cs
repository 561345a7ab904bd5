using Build.Deploy.Steps;

namespace Build.Deploy;

/// <summary>
/// The steps that put a release on disk live, in one script (one round trip), shared by deploy and rollback.
/// Blue/green: start it on the idle color and health-check it there, then switch Nginx and <c>current</c>, record the
/// revision, retire the old color, prune, unlock. Reload: move <c>current</c>, <c>pm2 startOrReload</c>, check (and
/// move back on failure), record, prune, unlock. <see cref="SwitchStepNames"/> are the steps after which the host may
/// already have moved: a failure there means the host has to be put back.
/// </summary>
internal sealed record GoLive(IReadOnlyList<IRemoteStep> Steps, IReadOnlySet<string> SwitchStepNames)
{
    /// <param name="expectedCommit">The commit the health check requires; null reads it from the release's
    /// manifest.</param>
    /// <param name="previous">The release live before (kept by pruning; the reload strategy's way back).</param>
    /// <param name="keepReleases">Prune to this many releases; null does not prune (rollback).</param>
    /// <param name="retireOldColor">False while a verification is still to come: the old color keeps running (and
    /// the releases unpruned) until <see cref="Finish"/>, so a failed verification switches straight back to
    /// it.</param>
    /// <param name="reuseRunning">A rollback: keep the target color if it still runs the release, healthy.</param>
    public static GoLive For(
        ReleaseLayout layout,
        DeploySettings settings,
        string release,
        string? expectedCommit,
        string? previous,
        string revisionEvent,
        string who,
        string lockToken,
        int? keepReleases,
        bool retireOldColor = true,
        bool reuseRunning = false
    )
    {
        IRemoteStep start;
        var switching = new List<IRemoteStep>();
        IRemoteStep[] functions =
        [
            new HealthProbe(settings.HealthPath, settings.HealthTimeoutSeconds),
            new DefineMarkFailed(layout, who),
        ];
        if (settings.Strategy == DeployStrategy.BlueGreen)
        {
            start = new StartCandidate(layout, settings, release, expectedCommit, reuseRunning);
            switching.Add(new SwitchNginx(layout, settings, release));
            switching.Add(new SwitchCurrent(layout, release));
            switching.Add(new RecordLiveColor(layout));
        }
        else
        {
            // ReloadInPlace moves current itself, before its health check: it belongs to the switch.
            start = new ReloadInPlace(layout, settings, release, previous, expectedCommit);
            switching.Add(start);
        }
        switching.Add(new RecordRevision(layout, revisionEvent, release, who));
        if (!retireOldColor) switching.Add(new SavePm2());
        else
        {
            if (settings.Strategy == DeployStrategy.BlueGreen) switching.Add(new RetireOldColor(settings));
            if (keepReleases is { } keep) switching.Add(new PruneReleases(layout, keep, release, previous));
        }
        switching.Add(new ReleaseLock(layout, lockToken));

        IReadOnlyList<IRemoteStep> steps =
            settings.Strategy == DeployStrategy.BlueGreen
                ? [.. functions, start, .. switching]
                : [.. functions, .. switching];
        return new GoLive(steps, switching.Select(s => s.Name).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>After a verification passed: stop the old color (it has had no traffic since the switch), save the
    /// PM2 list, prune.</summary>
    public static IReadOnlyList<IRemoteStep> Finish(
        ReleaseLayout layout,
        DeploySettings settings,
        string release,
        string? previous
    )
    {
        var steps = new List<IRemoteStep>();
        if (settings.Strategy == DeployStrategy.BlueGreen)
        {
            steps.Add(new ReadColors(layout));
            steps.Add(new RetireOldColor(settings, Drain: false));
        }
        steps.Add(new PruneReleases(layout, settings.KeepReleases, release, previous));
        return steps;
    }
}
