namespace Build.Deploy;

/// <summary>Paths of the release layout on a host.</summary>
public sealed record ReleaseLayout(string BasePath)
{
    public string Releases => $"{BasePath}/releases";
    public string Shared => $"{BasePath}/shared";
    public string Current => $"{BasePath}/current";
    /// <summary>The new symlink is made here and renamed over <see cref="Current"/> (atomic).</summary>
    public string CurrentTemp => $"{BasePath}/.current.tmp";
    public string Uploads => $"{BasePath}/.uploads";
    /// <summary>What the background deletion of pruned releases printed (and its lock: one deletion at a time).</summary>
    public string PruneLog => $"{BasePath}/prune.log";
    public string Lock => $"{BasePath}/.deploy-lock";
    public string LockInfo => $"{Lock}/info";
    public string RevisionsLog => $"{BasePath}/revisions.log";
    /// <summary>Which color (blue/green) takes traffic now.</summary>
    public string LiveColorFile => $"{BasePath}/.live-color";
    public string Release(string name) => $"{Releases}/{name}";
    /// <summary>Where an archive is unpacked before it is renamed into releases/: never a candidate for current.</summary>
    public string UnpackTemp(string name) => $"{Releases}/.tmp-{name}";
    /// <summary>A pruned release, renamed (no longer a release name) until the background deletion removes it.</summary>
    public string Pruned(string name) => $"{Releases}/.prune-{name}";
    /// <summary>A release that failed its health check holds this file (the reason); rollback skips it.</summary>
    public const string FailedMarker = ".deploy-failed";
    /// <summary>A release that took traffic at least once holds this file. Rollback's default target must have it: a
    /// release unpacked by a deploy that was cut before its switch was never checked or served.</summary>
    public const string WentLiveMarker = ".went-live";

    /// <summary>Release folder name: UTC time of the deploy and the short commit, so names sort by age.</summary>
    public static string ReleaseName(DateTimeOffset utc, string shortCommit) =>
        $"{utc.UtcDateTime:yyyyMMddHHmmss}-{shortCommit}";

    /// <summary>Matches release folder names (and nothing else in releases/).</summary>
    public const string ReleaseNamePattern = "^[0-9]{14}-[0-9a-f]{4,40}$";
}
