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

    /// <summary>What the archive's files take once unpacked (0 when not measured).</summary>
    public long UnpackedBytes { get; init; }

    public static string ChecksumPathFor(string artifactPath) => artifactPath + ChecksumSuffix;

    /// <summary>Reads the sidecar checksum and the manifest inside the archive. Throws naming the file at
    /// fault.</summary>
    public static ReleaseArtifact Load(string path) => Load(path, verifyChecksum: false);

    /// <summary><see cref="Load(string)"/> and <see cref="VerifyChecksum"/> in one read of the archive (a deploy does
    /// both before it connects: one pass over a large artifact instead of two).</summary>
    public static ReleaseArtifact LoadVerified(string path) => Load(path, verifyChecksum: true);

    private static ReleaseArtifact Load(string path, bool verifyChecksum)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new FileNotFoundException($"Artifact {full} is a directory, not a .tar.gz file.", full);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Artifact {full} does not exist.", full);

        var sidecar = ChecksumPathFor(full);
        if (!File.Exists(sidecar))
            throw new FileNotFoundException(
                $"Checksum file {sidecar} is missing (PackageApp writes it beside the artifact).",
                sidecar
            );
        var sha = File.ReadAllText(sidecar).Trim().Split([' ', '\t'], 2)[0].ToLowerInvariant();
        if (sha.Length != 64 || !sha.All(Uri.IsHexDigit))
            throw new InvalidDataException(
                $"{sidecar} line 1: expected a 64-digit hex SHA-256, found '{Truncate(sha)}'."
            );

        string? actual = null;
        var manifest = ReadManifest(full, verifyChecksum ? hash => actual = hash : null);
        if (actual is not null && actual != sha)
            throw new InvalidDataException($"Artifact {full} has SHA-256 {actual} but {sidecar} says {sha}.");
        return new ReleaseArtifact(full, sha, manifest.Info.Commit, manifest.Info.BuiltAt)
        {
            UnpackedBytes = manifest.UnpackedBytes,
            Environment = manifest.Info.Environment,
            SupabaseProjectRef = manifest.Info.ProjectRef,
            RecordsTarget = manifest.Info.RecordsTarget,
        };
    }

    /// <summary>Hashes the archive and compares with <see cref="Sha256"/>: catches an artifact changed after
    /// packing.</summary>
    public void VerifyChecksum()
    {
        using var stream = File.OpenRead(Path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != Sha256)
            throw new InvalidDataException(
                $"Artifact {Path} has SHA-256 {actual} but {ChecksumPathFor(Path)} says {Sha256}."
            );
    }

    /// <summary>Computes the hex SHA-256 of a file (what the sidecar holds).</summary>
    public static string ComputeSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The manifest's commit (throws <see cref="InvalidDataException"/> naming the file when
    /// unreadable).</summary>
    public static string ReadCommit(string archive) =>
        ReadManifest(System.IO.Path.GetFullPath(archive), null).Info.Commit;

    /// <summary>
    /// Reads the whole archive: every entry must stay inside the release (no absolute or <c>..</c> names, no symlink
    /// or hard link pointing out of it), and the manifest is returned. A damaged file is named with what is wrong.
    /// </summary>
    /// <param name="onSha256">When given, gets the hex SHA-256 of the whole file, hashed on the same read.</param>
    private static (ManifestInfo Info, long UnpackedBytes) ReadManifest(string archive, Action<string>? onSha256)
    {
        try
        {
            return ReadEntries(archive, onSha256);
        }
        catch (Exception ex)
            when (ex is EndOfStreamException or FormatException or IOException and not FileNotFoundException
                || ex is InvalidDataException && !ex.Message.StartsWith(archive, StringComparison.Ordinal)
            )
        {
            throw new InvalidDataException(
                $"{archive} is not a readable tar.gz (damaged or truncated: {ex.Message.TrimEnd('.')}). "
                    + "Pack it again with PackageApp, or copy it again with its .sha256.",
                ex
            );
        }
    }

    /// <summary>What DeployVps needs from manifest.json.</summary>
    /// <param name="RecordsTarget">False when the manifest predates per-environment builds (no "environment").</param>
    private sealed record ManifestInfo(
        string Commit,
        DateTimeOffset BuiltAt,
        string? Environment,
        string? ProjectRef,
        bool RecordsTarget
    );

    private static (ManifestInfo Info, long UnpackedBytes) ReadEntries(string archive, Action<string>? onSha256)
    {
        ManifestInfo? manifest = null;
        long unpacked = 0;
        using var file = new HashingReadStream(File.OpenRead(archive));
        using (var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                RequireInside(archive, name, entry);
                unpacked += Math.Max(entry.Length, 0) + 4096;
                if (name != ManifestName || entry.DataStream is null || manifest is not null) continue;
                manifest = ParseManifest(archive, entry.DataStream);
            }
        }
        var found =
            manifest ?? throw new InvalidDataException($"{archive}: no {ManifestName} at the root of the archive.");
        if (onSha256 is not null)
        {
            // What the decompressor has not read (the gzip trailer, anything after it) counts too.
            file.CopyTo(Stream.Null);
            onSha256(file.Sha256());
        }
        return (found, unpacked);
    }

    /// <summary>Reads through to a file, hashing every byte read, in order.</summary>
    private sealed class HashingReadStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            _hash.AppendData(buffer[..read]);
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                _hash.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>An entry may not name or point at anything outside the release folder.</summary>
    private static void RequireInside(string archive, string name, TarEntry entry)
    {
        static bool Escapes(string path) =>
            path.StartsWith('/') || path.Split('/').Aggregate(0, (depth, part) => depth < 0 ? depth : part switch
            {
                ".." => depth - 1,
                "" or "." => depth,
                _ => depth + 1,
            }) < 0;
        if (Escapes(name)) throw new InvalidDataException($"{archive}: entry '{name}' is outside the release folder.");
        if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
        {
            var folder = name.Contains('/') ? name[..name.LastIndexOf('/')] : "";
            var target =
                entry.EntryType == TarEntryType.HardLink
                    ? entry.LinkName
                    : (folder.Length > 0 ? folder + "/" : "") + entry.LinkName;
            if (entry.LinkName.StartsWith('/') || Escapes(target))
                throw new InvalidDataException(
                    $"{archive}: entry '{name}' is a link to '{entry.LinkName}', outside the release folder: refused."
                );
        }
    }

    private static ManifestInfo ParseManifest(string archive, Stream data)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(data);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{archive}: {ManifestName} is not valid JSON ({ex.Message}).");
        }
        using var _ = json;
        var root = json.RootElement;
        var commit =
            root.TryGetProperty("commit", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
        if (commit.Length < 7 || !commit.All(Uri.IsHexDigit))
            throw new InvalidDataException(
                $"{archive}: {ManifestName} has no valid \"commit\" (a git SHA), found '{Truncate(commit)}'."
            );
        if (
            !root.TryGetProperty("builtAt", out var b)
            || b.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(
                b.GetString(),
                System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal,
                out var builtAt
            )
        )
            throw new InvalidDataException($"{archive}: {ManifestName} has no valid \"builtAt\" (ISO-8601).");
        var recordsTarget = root.TryGetProperty("environment", out var e) && e.ValueKind == JsonValueKind.String;
        var projectRef =
            root.TryGetProperty("supabaseProjectRef", out var r) && r.ValueKind == JsonValueKind.String
                ? r.GetString()
                : null;
        return new ManifestInfo(
            commit.ToLowerInvariant(),
            builtAt,
            recordsTarget ? e.GetString() : null,
            projectRef,
            recordsTarget
        );
    }

    private static string Truncate(string s) => s.Length > 80 ? s[..80] + "..." : s;
}
