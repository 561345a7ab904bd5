using Build.Deploy.Steps;

namespace Build.Deploy;

/// <summary>
/// Points traffic and <c>current</c> back to the previous release (the newest one older than current that took traffic
/// before and did not fail its health check) or a named one, on every target host by host. No upload, no build: the
/// release is already on disk, so it is started on the idle color, health-checked, and switched to (blue/green) or
/// reloaded in place.
/// </summary>
public sealed class RollbackService(IReadOnlyList<DeployHost> targets, Action<string> progress, string who)
{
    public async Task<IReadOnlyList<HostRelease>> RollbackAsync(
        string? toRelease = null,
        bool breakLock = false,
        CancellationToken cancellationToken = default
    )
    {
        if (targets.Count == 0) throw new ArgumentException("No hosts to roll back.");
        var results = new List<HostRelease>();
        foreach (var target in targets)
            results.Add(await RollbackHostAsync(target, toRelease, breakLock, cancellationToken));
        return results;
    }

    /// <summary>Who marks a release failed before rolling back from it, and why.</summary>
    public sealed record FailedCheck(string Release, string Reason);

    /// <summary>Which release a rollback goes to, given the host's state.</summary>
    /// <param name="wentLive">Releases that took traffic before; only those are default targets (a named one may be
    /// any).</param>
    public static string ChooseTarget(
        string host,
        string? current,
        IReadOnlyList<string> releases,
        IReadOnlyCollection<string> failed,
        IReadOnlyCollection<string> wentLive,
        string? toRelease
    )
    {
        if (toRelease is not null)
        {
            if (!releases.Contains(toRelease))
                throw new RollbackRefusedException(
                    $"{host}: release '{toRelease}' is not on the host. Releases there: " +
                    $"{(releases.Count == 0 ? "none" : string.Join(", ", releases))}."
                );
            if (toRelease == current)
                throw new RollbackRefusedException($"{host}: release '{toRelease}' is already current.");
            if (failed.Contains(toRelease))
                throw new RollbackRefusedException(
                    $"{host}: release '{toRelease}' failed a check (its reason is in releases/{toRelease}/" +
                    $"{ReleaseLayout.FailedMarker}) "
                        + "and is never a rollback target. Deploy a fixed commit instead."
                );
            return toRelease;
        }
        if (current is null)
            throw new RollbackRefusedException(
                $"{host}: nothing is deployed (no current release), so there is nothing to roll back."
            );
        var earlier = releases
            .Where(r => string.CompareOrdinal(r, current) < 0 && !failed.Contains(r) && wentLive.Contains(r))
            .ToList();
        return earlier.Count > 0
            ? earlier[^1]
            : throw new RollbackRefusedException(
                $"{host}: there is no release older than {current} that served traffic to roll back to "
                    + "(failed and never-switched releases are skipped; name one with --to=<release> to force it)."
            );
    }

    /// <summary>Marks a release failed under the host's lock, and nothing else.</summary>
    internal async Task MarkFailedAsync(DeployHost target, FailedCheck failed, CancellationToken cancellationToken)
    {
        await using var session = new HostSession(target, progress, oneShell: true);
        var holder = LockHolder.Create(who, "mark-failed", DateTimeOffset.UtcNow);
        await DeployService.TakeLockAsync(session, [
            new AcquireLock(target.Layout, holder, target.Settings.LockWaitSeconds, BreakStale: false),
            new DefineMarkFailed(target.Layout, who),
            new MarkFailed(target.Layout, failed.Release, failed.Reason),
            new ReleaseLock(target.Layout, holder.Token)], holder.Token, progress, cancellationToken);
    }

    /// <param name="failedCheck">A release that just failed a check (VerifyDeploy): marked failed under the lock first,
    /// so that whatever happens next it is never a rollback target.</param>
    /// <param name="alreadyCurrentIsDone">A deploy undoing its own failed switch: if the host still serves
    /// <paramref name="toRelease"/>, there is nothing to do (a user's <c>--to=</c> the current release is refused
    /// instead).</param>
    internal async Task<HostRelease> RollbackHostAsync(
        DeployHost target,
        string? toRelease,
        bool breakLock,
        CancellationToken cancellationToken,
        bool alreadyCurrentIsDone = false,
        FailedCheck? failedCheck = null
    )
    {
        // Lock and switch in one shell on one connection.
        await using var session = new HostSession(target, progress, oneShell: true);
        var layout = target.Layout;
        var settings = target.Settings;
        var holder = LockHolder.Create(who, "rollback", DateTimeOffset.UtcNow);
        var unlocked = true;
        try
        {
            IRemoteStep[] mark = failedCheck is null
                ? []
                : [new DefineMarkFailed(layout, who), new MarkFailed(layout, failedCheck.Release, failedCheck.Reason)];
            var state = await DeployService.TakeLockAsync(
                session,
                [
                    new AcquireLock(layout, holder, settings.LockWaitSeconds, breakLock),
                    .. mark,
                    new ReadState(layout),
                    new HoldLock(),
                ],
                holder.Token,
                progress,
                cancellationToken
            );
            unlocked = false;
            var current = state["current"];
            if (alreadyCurrentIsDone && toRelease is not null && toRelease == current)
            {
                progress($"[{target.Name}] still serving {current}: nothing to roll back");
                return new HostRelease(target.Name, current, current);
            }
            var release = ChooseTarget(
                target.Name,
                current,
                state.List("releases"),
                state.List("failed").ToHashSet(),
                state.List("went_live").ToHashSet(),
                toRelease
            );
            progress($"[{target.Name}] rolling back from {current ?? "(none)"} to {release}");
            // No prune: a rollback deletes nothing.
            // The color that still runs the target release (a deploy whose verification failed) is switched back to as
            // it is.
            var goLive = GoLive.For(
                layout,
                settings,
                release,
                expectedCommit: null,
                current,
                "rollback",
                who,
                holder.Token,
                keepReleases: null,
                reuseRunning: true
            );
            await session.RunAsync(
                "rollback",
                [new ReleaseLockOnFailure(layout, holder.Token), .. goLive.Steps],
                cancellationToken
            );
            unlocked = true;
            progress($"[{target.Name}] live: {release}");
            return new HostRelease(target.Name, release, current);
        }
        finally
        {
            if (!unlocked) await DeployService.ReleaseLockQuietlyAsync(session, layout, holder.Token, progress);
        }
    }
}
