using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Build.Packaging;

/// <summary>
/// One packed release: a <c>tar.gz</c> whose root holds the app and a <c>manifest.json</c>
/// (<c>{"commit", "shortCommit", "builtAt"}</c>), plus a sidecar <c>&lt;artifact&gt;.sha256</c> with the checksum of
/// the tar.gz itself (in <c>sha256sum</c>'s format: <c>&lt;hex&gt;  &lt;file name&gt;</c>, or the bare hex).
/// PackageApp produces it; DeployVps consumes it.
/// </summary>
public sealed record ReleaseArtifact(string Path, string Sha256, string Commit, DateTimeOffset BuiltAt)
{
    public const string ManifestName = "manifest.json";
    public const string ChecksumSuffix = ".sha256";

    /// <summary>The abbreviated commit used in release folder names.</summary>
    public string ShortCommit => Commit.Length > 7 ? Commit[..7] : Commit;

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The environment it was built for (manifest format 2); null in older artifacts.</summary>
    public string? Environment { get; init; }
    /// <summary>The Supabase project its browser bundle talks to; null for <c>local</c> or an older artifact.</summary>
    public string? SupabaseProjectRef { get; init; }
    /// <summary>False when the manifest predates per-environment builds (no <c>environment</c> key at all).</summary>
    public bool RecordsTarget { get; init; }

    public static string ChecksumPathFor(string artifactPath) => artifactPath + ChecksumSuffix;

    /// <summary>Reads the sidecar checksum and the manifest inside the archive. Throws naming the file at fault.</summary>
    public static ReleaseArtifact Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"Artifact {full} does not exist.", full);

        var sidecar = ChecksumPathFor(full);
        if (!File.Exists(sidecar))
            throw new FileNotFoundException($"Checksum file {sidecar} is missing (PackageApp writes it beside the artifact).", sidecar);
        var sha = File.ReadAllText(sidecar).Trim().Split([' ', '\t'], 2)[0].ToLowerInvariant();
        if (sha.Length != 64 || !sha.All(Uri.IsHexDigit))
            throw new InvalidDataException($"{sidecar} line 1: expected a 64-digit hex SHA-256, found '{Truncate(sha)}'.");

        var manifest = ReadManifest(full);
        return new ReleaseArtifact(full, sha, manifest.Commit, manifest.BuiltAt)
        {
            Environment = manifest.Environment,
            SupabaseProjectRef = manifest.ProjectRef,
            RecordsTarget = manifest.RecordsTarget,
        };
    }

    /// <summary>Hashes the archive and compares with <see cref="Sha256"/>: catches an artifact changed after packing.</summary>
    public void VerifyChecksum()
    {
        using var stream = File.OpenRead(Path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != Sha256)
            throw new InvalidDataException($"Artifact {Path} has SHA-256 {actual} but {ChecksumPathFor(Path)} says {Sha256}.");
    }

    /// <summary>Computes the hex SHA-256 of a file (what the sidecar holds).</summary>
    public static string ComputeSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static (string Commit, DateTimeOffset BuiltAt, string? Environment, string? ProjectRef, bool RecordsTarget) ReadManifest(string archive)
    {
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (name != ManifestName || entry.DataStream is null) continue;
            using var json = JsonDocument.Parse(entry.DataStream);
            var root = json.RootElement;
            var commit = root.TryGetProperty("commit", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
            if (commit.Length < 7 || !commit.All(Uri.IsHexDigit))
                throw new InvalidDataException($"{archive}: {ManifestName} has no valid \"commit\" (a git SHA), found '{Truncate(commit)}'.");
            if (!root.TryGetProperty("builtAt", out var b) || b.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(b.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var builtAt))
                throw new InvalidDataException($"{archive}: {ManifestName} has no valid \"builtAt\" (ISO-8601).");
            var recordsTarget = root.TryGetProperty("environment", out var e);
            var environment = recordsTarget && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var projectRef = root.TryGetProperty("supabaseProjectRef", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            return (commit.ToLowerInvariant(), builtAt, environment, projectRef, recordsTarget && environment is not null);
        }
        throw new InvalidDataException($"{archive}: no {ManifestName} at the root of the archive.");
    }

    private static string Truncate(string s) => s.Length > 80 ? s[..80] + "..." : s;
}
