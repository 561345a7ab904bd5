using System.Security.Cryptography;

namespace Build.Packaging;

/// <summary><c>&lt;artifact&gt;.sha256</c> in <c>sha256sum</c> format (<c>&lt;hex&gt;  &lt;file name&gt;</c>), so that
/// <c>sha256sum -c muva-chat-abc1234.tar.gz.sha256</c> works in the artifact's folder and on the host.</summary>
public static class ChecksumSidecar
{
    public const string Extension = ".sha256";

    public static string PathFor(string artifactPath) => artifactPath + Extension;

    public static async Task<string> ComputeAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(
            file,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            bufferSize: 1 << 20,
            useAsync: true
        );
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    public static string Format(string sha256, string artifactPath) => $"{sha256}  {Path.GetFileName(artifactPath)}\n";
}
