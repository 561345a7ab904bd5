namespace Build.Deploy.Steps;

/// <summary>Blue/green: records which color (<c>$color</c>, from <see cref="StartCandidate"/>) takes traffic now, in
/// the layout's live-color file that the next deploy and a reboot read.</summary>
public sealed record RecordLiveColor(ReleaseLayout Layout) : IRemoteStep
{
    public string Name => "live-color";
    public IReadOnlyCollection<string> Needs => ["color"];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) =>
        script.Set("live_color_file", Layout.LiveColorFile).Include("live-color.sh");
}
