namespace Build.Deploy.Steps;

/// <summary>Points <c>current</c> at the release atomically (a new symlink under a temp name renamed over the old
/// one) and records that the release took traffic.</summary>
public sealed record SwitchCurrent(ReleaseLayout Layout, string ReleaseName) : IRemoteStep
{
    public string Name => "current";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) =>
        script
            .Set("release", Layout.Release(ReleaseName))
            .Set("release_name", ReleaseName)
            .Set("current_link", Layout.Current)
            .Set("current_tmp", Layout.CurrentTemp)
            .Set("went_live_marker", ReleaseLayout.WentLiveMarker)
            .Include("current.sh");
}
