namespace Build.Deploy;

/// <summary>
/// What a deploy would do on each host, read without changing anything: one read-only script lists the releases and
/// the live one, and the pruning rule of <see cref="Steps.PruneReleases"/> is applied to that list plus the new release.
/// </summary>
public static class DeployPlanner
{
    public static async Task<HostPlan> PlanAsync(DeployHost target, string newRelease, CancellationToken cancellationToken = default)
    {
        var layout = target.Layout;
        var script = string.Join("\n",
            "set -u",
            $"if [ -L {Shell.Quote(layout.Current)} ]; then echo \"current=$(basename \"$(readlink {Shell.Quote(layout.Current)})\")\"; fi",
            $"ls -1 {Shell.Quote(layout.Releases)} 2>/dev/null | grep -E '{ReleaseLayout.ReleaseNamePattern}' | sed 's/^/release=/' || true",
            $"for r in $(ls -1 {Shell.Quote(layout.Releases)} 2>/dev/null | grep -E '{ReleaseLayout.ReleaseNamePattern}' || true); do",
            $"  if [ -e {Shell.Quote(layout.Releases)}/\"$r\"/{ReleaseLayout.FailedMarker} ]; then echo \"failed=$r\"; fi",
            $"  if [ -e {Shell.Quote(layout.Releases)}/\"$r\"/{ReleaseLayout.WentLiveMarker} ]; then echo \"went_live=$r\"; fi",
            "done");
        ScriptResult result;
        try
        {
            result = await target.Host.RunScriptAsync(script, null, cancellationToken);
        }
        catch (RemoteHostException ex)
        {
            return new HostPlan(target.Name, null, newRelease, [], $"not reachable ({ex.Message})");
        }
        if (result.ExitCode != 0)
            return new HostPlan(target.Name, null, newRelease, [], $"could not list releases (exit {result.ExitCode}: {result.Error.Trim()})");

        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var current = lines.FirstOrDefault(l => l.StartsWith("current=", StringComparison.Ordinal))?["current=".Length..];
        var releases = lines.Where(l => l.StartsWith("release=", StringComparison.Ordinal)).Select(l => l["release=".Length..]).Append(newRelease);
        string[] With(string prefix) => lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..]).ToArray();
        var pruned = Prune(releases, target.Settings.KeepReleases, newRelease, current, With("failed=").ToHashSet(), With("went_live=").ToHashSet());
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
