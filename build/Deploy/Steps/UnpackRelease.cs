namespace Build.Deploy.Steps;

/// <summary>
/// Checks the release that <see cref="ReceiveRelease"/> unpacked from the streamed artifact into
/// <c>releases/.tmp-&lt;name&gt;</c> (<c>$received</c>): no symlink leading out of it, the manifest's commit, the entry
/// point; then renames the folder into place: a release folder either exists whole or not at all.
/// </summary>
public sealed record UnpackRelease(ReleaseLayout Layout, string ReleaseName, string Commit, string Entry) : IRemoteStep
{
    public string Name => "unpack";
    public IReadOnlyCollection<string> Needs => ["received"];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) => script
        .Set("release", Layout.Release(ReleaseName))
        .Set("expected_manifest_commit", Commit).Set("entry", Entry)
        .Include("unpack.sh");
}
