namespace Build.Deploy.Steps;

/// <summary>Under the lock: whatever an interrupted deploy left (partial uploads, half-unpacked folders) is
/// garbage.</summary>
public sealed record CleanInterrupted(ReleaseLayout Layout) : IRemoteStep
{
    public string Name => "clean";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) => script
        .Set("releases_dir", Layout.Releases).Set("uploads_dir", Layout.Uploads)
        .Include("clean.sh");
}
