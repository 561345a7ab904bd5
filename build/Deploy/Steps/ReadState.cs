namespace Build.Deploy.Steps;

/// <summary>Reports the host's release state as <c>::out</c> lines: current, live color,
/// releases (oldest first), the failed ones and the ones that ever took traffic. Reads only.</summary>
public sealed record ReadState(ReleaseLayout Layout) : IRemoteStep
{
    public string Name => "state";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => [];

    public IReadOnlyCollection<string> Reports => ["current", "live_color", "releases", "failed", "went_live"];

    public void Render(ScriptWriter script) =>
        script
            .Set("current_link", Layout.Current)
            .Set("live_color_file", Layout.LiveColorFile)
            .Set("releases_dir", Layout.Releases)
            .Set("release_pattern", ReleaseLayout.ReleaseNamePattern)
            .Set("failed_marker", ReleaseLayout.FailedMarker)
            .Set("went_live_marker", ReleaseLayout.WentLiveMarker)
            .Include("state.sh");
}
