namespace Build.Deploy.Steps;

/// <summary>Sets <c>$color</c> to the live color and <c>$old_color</c> to the other one, for
/// <see cref="RetireOldColor"/> in a phase of its own (after verification).</summary>
public sealed record ReadColors(ReleaseLayout Layout) : IRemoteStep
{
    public string Name => "colors";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => ["color", "old_color"];

    public void Render(ScriptWriter script) => script.Set("live_color_file", Layout.LiveColorFile).Include("colors.sh");
}
