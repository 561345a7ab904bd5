namespace Build.Deploy.Steps;

/// <summary>
/// Unpacks into <c>releases/.tmp-&lt;name&gt;</c>, refuses symlinks leading out of it, checks the manifest's commit and
/// the entry point, then renames the folder into place: a release folder either exists whole or not at all.
/// </summary>
/// <param name="Received">The temp folder was already filled by <see cref="ReceiveRelease"/> from the streamed artifact
/// (a deploy): only the checks and the rename are left. Otherwise the staged upload is unpacked first.</param>
public sealed record UnpackRelease(
    ReleaseLayout Layout,
    string UploadName,
    string ReleaseName,
    string Commit,
    string Entry,
    bool Received = false
) : IRemoteStep
{
    public string Name => "unpack";
    public IReadOnlyCollection<string> Needs => ["cleanup_paths"];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) => script
        .Set("upload", Layout.Upload(UploadName)).Set("upload_name", UploadName)
        .Set("release", Layout.Release(ReleaseName)).Set("unpack", Layout.UnpackTemp(ReleaseName))
        .Set("expected_manifest_commit", Commit).Set("entry", Entry).Set("received", Received)
        .Include("unpack.sh");
}
