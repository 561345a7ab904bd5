using Build.Deploy.Steps;

namespace Build.Deploy;

/// <summary>
/// What happens after a deploy that kept its old color running (<see cref="DeployService.DeployAsync"/> with
/// <c>retireOldColor: false</c>) once its public verification is known. Passed: <see cref="FinishAsync"/> stops the
/// old color and prunes. Failed: <see cref="RevertAsync"/> marks the release failed on every host (it is never a
/// rollback target again) and switches each host back to its previous release, whose color is still running.
/// </summary>
public sealed class ReleaseVerification(IReadOnlyList<DeployHost> targets, Action<string> progress, string who)
{
    public async Task FinishAsync(DeployResult deployed, CancellationToken cancellationToken = default)
    {
        foreach (var (target, host) in Pair(deployed))
        {
            await using var session = new HostSession(target, progress, oneShell: true);
            var holder = LockHolder.Create(who, deployed.Commit, DateTimeOffset.UtcNow);
            var state = await DeployService.TakeLockAsync(
                session,
                [
                    new AcquireLock(target.Layout, holder, target.Settings.LockWaitSeconds, BreakStale: false),
                    new ReadState(target.Layout),
                    new HoldLock(),
                ],
                holder.Token,
                progress,
                cancellationToken
            );
            var done = false;
            try
            {
                // Another deploy or rollback since ours: it owns the colors now.
                IRemoteStep[] finish =
                    state["current"] == host.Release
                        ? [.. GoLive.Finish(target.Layout, target.Settings, host.Release, host.PreviousRelease)]
                        : [];
                await session.RunAsync(
                    "finish",
                    [
                        new ReleaseLockOnFailure(target.Layout, holder.Token),
                        .. finish,
                        new ReleaseLock(target.Layout, holder.Token),
                    ],
                    cancellationToken
                );
                done = true;
            }
            finally
            {
                if (!done) await DeployService.ReleaseLockQuietlyAsync(session, target.Layout, holder.Token, progress);
            }
        }
    }

    /// <summary>Marks the deployed release failed and rolls every host back to the release it had before.</summary>
    /// <returns>The hosts rolled back; hosts that could not be are in the exception.</returns>
    public async Task<IReadOnlyList<HostRelease>> RevertAsync(
        DeployResult deployed,
        string reason,
        CancellationToken cancellationToken = default
    )
    {
        var rollback = new RollbackService([], progress, who);
        var rolledBack = new List<HostRelease>();
        var notRolledBack = new List<string>();
        foreach (var (target, host) in Pair(deployed))
        {
            try
            {
                var failed = new RollbackService.FailedCheck(host.Release, reason);
                if (host.PreviousRelease is null)
                {
                    // Nothing to go back to: still mark it, so no later rollback picks it.
                    await rollback.MarkFailedAsync(target, failed, cancellationToken);
                    notRolledBack.Add(
                        $"{target.Name} had no earlier release (still serving {host.Release}, marked failed)"
                    );
                    continue;
                }
                progress($"[{target.Name}] switching back to {host.PreviousRelease}");
                var result = await rollback.RollbackHostAsync(
                    target,
                    host.PreviousRelease,
                    breakLock: false,
                    cancellationToken,
                    alreadyCurrentIsDone: true,
                    failedCheck: failed
                );
                rolledBack.Add(result);
            }
            catch (Exception ex) when (ex is DeployException or RollbackRefusedException)
            {
                notRolledBack.Add($"{target.Name}: {ex.Message}");
            }
        }
        if (notRolledBack.Count > 0)
            throw new RollbackRefusedException(
                (
                    rolledBack.Count > 0
                        ? "Rolled back: " + string.Join(", ", rolledBack.Select(r => $"{r.Host} to {r.Release}")) + ". "
                        : ""
                )
                    + "NOT rolled back: "
                    + string.Join("; ", notRolledBack)
                    + "."
            );
        return rolledBack;
    }

    private IEnumerable<(DeployHost Target, HostRelease Host)> Pair(DeployResult deployed) =>
        deployed.Hosts.Select(h => (targets.FirstOrDefault(t => t.Name == h.Host)
            ?? throw new ArgumentException($"Host {h.Host} of the deploy is not among this environment's hosts."), h));
}
