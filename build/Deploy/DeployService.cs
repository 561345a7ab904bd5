using Build.Deploy.Steps;
using Build.Packaging;

namespace Build.Deploy;

/// <summary>
/// Deploys one artifact to every target, host by host. A host that fails keeps its old release serving (its failed
/// release stays on disk, marked); every host already switched is then rolled back to the release it had before, and
/// the deploy stops. Each host's deploy lock is released whatever happens.
/// </summary>
public sealed class DeployService(IReadOnlyList<DeployHost> targets, Action<string> progress, string who, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="retireOldColor">False when a verification follows (VerifyDeploy): the old color keeps serving
    /// beside the new one until <see cref="ReleaseVerification"/> finishes or reverts the deploy.</param>
    public async Task<DeployResult> DeployAsync(ReleaseArtifact artifact, bool breakLock = false, CancellationToken cancellationToken = default,
        bool retireOldColor = true)
    {
        if (targets.Count == 0) throw new ArgumentException("No hosts to deploy to.");
        var releaseName = ReleaseLayout.ReleaseName(_time.GetUtcNow(), artifact.ShortCommit);
        progress($"Deploying {artifact.FileName} (commit {artifact.ShortCommit}) as release {releaseName} to {string.Join(", ", targets.Select(t => t.Name))}");
        var switched = new List<(DeployHost Target, HostRelease Release)>();
        foreach (var target in targets)
        {
            var attempt = new HostAttempt();
            try
            {
                var release = await DeployHostAsync(target, artifact, releaseName, breakLock, attempt, retireOldColor, cancellationToken);
                switched.Add((target, release));
                progress($"[{target.Name}] live: {release.Release}");
            }
            catch (DeployException failure)
            {
                progress($"[{target.Name}] FAILED: {failure.Message}");
                // A failure once the switch began may have moved Nginx or current already: put this host back too
                // (a no-op when it never left).
                var undo = switched.AsEnumerable().Reverse().Select(s => (s.Target, s.Release.PreviousRelease, SelfUndo: false)).ToList();
                if (failure.Phase == ReleasePhase && failure.Step is { } step && attempt.SwitchStepNames.Contains(step))
                    undo.Insert(0, (target, attempt.PreviousRelease, SelfUndo: true));
                var (rolledBack, notRolledBack) = await RollBackAsync(undo, releaseName, cancellationToken);
                throw new DeployFailedException(failure, rolledBack, notRolledBack);
            }
        }
        return new DeployResult(releaseName, artifact.Commit, switched.Select(s => s.Release).ToList());
    }

    internal const string ReleasePhase = "release";

    /// <summary>What is known about a host's deploy so far, for the rollback when it fails half way.</summary>
    private sealed class HostAttempt
    {
        public string? PreviousRelease { get; set; }
        public IReadOnlySet<string> SwitchStepNames { get; set; } = new HashSet<string>();
    }

    private async Task<HostRelease> DeployHostAsync(DeployHost target, ReleaseArtifact artifact, string releaseName, bool breakLock,
        HostAttempt attempt, bool retireOldColor, CancellationToken cancellationToken)
    {
        // Lock, upload and release in one shell on one connection: one login instead of three.
        await using var session = new HostSession(target, progress, oneShell: true);
        var layout = target.Layout;
        var settings = target.Settings;
        var holder = LockHolder.Create(who, artifact.Commit, _time.GetUtcNow());
        // Until the lock phase succeeded there is no lock of ours to release (a failed lock script removes its own).
        var unlocked = true;
        try
        {
            var state = await TakeLockAsync(session, [
                new AcquireLock(layout, holder, settings.LockWaitSeconds, breakLock),
                new CleanInterrupted(layout),
                new CheckFreeSpace(layout, new FileInfo(artifact.Path).Length, artifact.UnpackedBytes),
                new ReadState(layout),
                new HoldLock()], holder.Token, progress, cancellationToken);
            unlocked = false;
            var previous = state["current"];
            attempt.PreviousRelease = previous;

            // The artifact is streamed into the release phase and unpacked as it arrives (no staged copy on the host).
            IRemoteStep[] prepare = [
                new ReceiveRelease(layout, artifact.FileName, releaseName, artifact.Sha256),
                new UnpackRelease(layout, releaseName, artifact.Commit, settings.Entry),
                new LinkShared(layout, releaseName, settings.SharedFiles, settings.SharedDirectories)];
            var goLive = GoLive.For(layout, settings, releaseName, artifact.Commit, previous, "deploy", who, holder.Token, settings.KeepReleases,
                retireOldColor);
            attempt.SwitchStepNames = goLive.SwitchStepNames;
            await session.RunAsync(ReleasePhase, [new ReleaseLockOnFailure(layout, holder.Token), .. prepare, .. goLive.Steps], cancellationToken,
                upload: artifact.Path);
            unlocked = true;
            return new HostRelease(target.Name, releaseName, previous);
        }
        finally
        {
            // A run that ends early (an upload cut, a full disk) leaves no unpack folder.
            if (!unlocked) await ReleaseLockQuietlyAsync(session, layout, holder.Token, progress, leftovers: [layout.UnpackTemp(releaseName)]);
        }
    }

    /// <summary>
    /// Runs a lock phase. When it fails, no lock of ours is left: a script that failed removed its own lock (EXIT
    /// trap), and one that never started took none. Only a connection lost while the script ran leaves it unknown:
    /// then our lock (if any) is released on a new connection.
    /// </summary>
    internal static async Task<PhaseOutput> TakeLockAsync(HostSession session, IEnumerable<IRemoteStep> steps, string token, Action<string> progress,
        CancellationToken cancellationToken)
    {
        try
        {
            return await session.RunAsync("lock", steps, cancellationToken);
        }
        catch (DeployException ex) when (ex.InnerException is RemoteHostException && ex.Step is not null)
        {
            await ReleaseLockQuietlyAsync(session, session.Host.Layout, token, progress, uncertain: true);
            throw;
        }
    }

    /// <summary>Releases our lock (the token must match) on a fresh script; a failure here is reported, never thrown
    /// over the original error.</summary>
    /// <param name="uncertain">It is not known whether the lock was taken (the connection broke during the lock phase).</param>
    internal static async Task ReleaseLockQuietlyAsync(HostSession session, ReleaseLayout layout, string token, Action<string> progress, bool uncertain = false,
        IReadOnlyList<string>? leftovers = null)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await session.RunAsync("unlock", [new ReleaseLock(layout, token) { Leftovers = leftovers ?? [] }], timeout.Token);
        }
        catch (Exception ex) when (ex is DeployException or OperationCanceledException)
        {
            progress(uncertain
                ? $"[{session.Host.Name}] WARNING: the connection broke while taking the deploy lock and it could not be checked ({ex.Message}); if {layout.Lock} is left with this run's token, the next deploy needs --break-lock."
                : $"[{session.Host.Name}] WARNING: could not release the deploy lock {layout.Lock} ({ex.Message}); the next deploy needs --break-lock.");
        }
    }

    /// <summary>The release <c>current</c> points at on the host, or null (also when that cannot be read).</summary>
    private async Task<string?> ServesAsync(DeployHost target, CancellationToken cancellationToken)
    {
        try
        {
            return (await new HostSession(target, progress).RunAsync("state", [new ReadState(target.Layout)], cancellationToken))["current"];
        }
        catch (DeployException)
        {
            return null;
        }
    }

    private async Task<(List<HostRelease>, List<string>)> RollBackAsync(IEnumerable<(DeployHost Target, string? To, bool SelfUndo)> hosts,
        string release, CancellationToken cancellationToken)
    {
        var rolledBack = new List<HostRelease>();
        var notRolledBack = new List<string>();
        var rollback = new RollbackService([], progress, who);
        foreach (var (target, to, selfUndo) in hosts)
        {
            if (to is null)
            {
                // The failing host's own first release: its switch puts back what it changed, so only a host that
                // ended up serving the failed release is "not rolled back".
                if (!selfUndo || await ServesAsync(target, cancellationToken) is { } serving && serving == release)
                    notRolledBack.Add($"{target.Name} had no earlier release");
                continue;
            }
            try
            {
                progress($"[{target.Name}] rolling back to {to}");
                var result = await rollback.RollbackHostAsync(target, to, breakLock: false, cancellationToken, alreadyCurrentIsDone: selfUndo);
                // A host whose failed switch never moved current is not "rolled back": it never left.
                if (result.Release != result.PreviousRelease) rolledBack.Add(result);
            }
            catch (Exception ex) when (ex is DeployException or RollbackRefusedException)
            {
                notRolledBack.Add($"{target.Name}: {ex.Message}");
            }
        }
        return (rolledBack, notRolledBack);
    }
}
