using Build.Deploy.Steps;

namespace Build.Deploy;

/// <summary>
/// What a deploy would do on each host, read without changing anything: the read-only <see cref="Steps.ReadState"/>
/// step lists the releases and the live one, and the pruning rule of <see cref="Steps.PruneReleases"/> is applied to
/// that list plus the new release.
/// </summary>
public static class DeployPlanner
{
    public static async Task<HostPlan> PlanAsync(
        DeployHost target,
        string newRelease,
        CancellationToken cancellationToken = default
    )
    {
        PhaseOutput state;
        try
        {
            state = await new HostSession(target, _ => { }).RunAsync(
                "plan",
                [new ReadState(target.Layout)],
                cancellationToken
            );
        }
        catch (DeployException ex) when (ex.InnerException is RemoteHostException)
        {
            return new HostPlan(target.Name, null, newRelease, [], $"not reachable ({ex.Reason})");
        }
        catch (DeployException ex)
        {
            return new HostPlan(target.Name, null, newRelease, [], $"could not list releases ({ex.Reason})");
        }

        var current = state["current"];
        var releases = state.List("releases").Append(newRelease);
        var pruned = Prune(
            releases,
            target.Settings.KeepReleases,
            newRelease,
            current,
            state.List("failed").ToHashSet(),
            state.List("went_live").ToHashSet()
        );
        return new HostPlan(target.Name, current, newRelease, pruned, null);
    }

    /// <summary>
    /// What <see cref="Steps.PruneReleases"/> deletes: the newest <paramref name="keep"/> releases that served traffic
    /// and did not fail stay (live and previous always, counted), and the newest failed one; the rest go.
    /// </summary>
    /// <param name="failed">Releases marked failed (none when null).</param>
    /// <param name="wentLive">Releases that took traffic (every release when null).</param>
    public static IReadOnlyList<string> Prune(IEnumerable<string> releases, int keep, string live, string? previous,
        IReadOnlySet<string>? failed = null, IReadOnlySet<string>? wentLive = null)
    {
        var served = 0;
        var failedKept = false;
        var pruned = new List<string>();
        foreach (var release in releases.Distinct().OrderByDescending(r => r, StringComparer.Ordinal))
        {
            if (release == live || release == previous) { served++; continue; }
            if (failed?.Contains(release) == true)
            {
                if (!failedKept) { failedKept = true; continue; }
            }
            else if ((wentLive is null || wentLive.Contains(release)) && served < keep) { served++; continue; }
            pruned.Add(release);
        }
        return pruned;
    }
}
