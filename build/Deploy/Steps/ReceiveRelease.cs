namespace Build.Deploy.Steps;

/// <summary>
/// Receives the artifact streamed on fd 3 (<see cref="IRemoteShell"/>, Scripts/receive.sh) and unpacks it as it
/// arrives into <c>releases/.tmp-&lt;name&gt;</c>, hashing the same bytes: no staged copy, and the upload and the unpack
/// overlap. Fails, keeping nothing, unless the SHA-256 of what arrived is the artifact's; <see cref="UnpackRelease"/>
/// then checks the content of <c>$received</c> and renames the folder into place.
/// </summary>
public sealed record ReceiveRelease(ReleaseLayout Layout, string ArtifactName, string ReleaseName, string Sha256) : IRemoteStep
{
    public string Name => "receive";
    public IReadOnlyCollection<string> Needs => ["cleanup_paths"];
    public IReadOnlyCollection<string> Produces => ["received"];

    public void Render(ScriptWriter script) => script
        .Set("release", Layout.Release(ReleaseName)).Set("unpack", Layout.UnpackTemp(ReleaseName))
        .Set("artifact_name", ArtifactName).Set("expected_sha256", Sha256)
        .Include("receive.sh");
}
