namespace Build.Deploy.Steps;

/// <summary>Checks the uploaded archive's SHA-256 on the host: a truncated or altered upload never gets
/// unpacked.</summary>
public sealed record VerifyUpload(ReleaseLayout Layout, string UploadName, string Sha256) : IRemoteStep
{
    public string Name => "verify";
    public IReadOnlyCollection<string> Needs => ["cleanup_paths"];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) => script
        .Set("upload", Layout.Upload(UploadName)).Set("upload_sha256", Sha256)
        .Include("verify.sh");
}
