using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Build.Packaging;
using Build.Tests.Infrastructure;

namespace Build.Tests.Deploy;

/// <summary>Packs tests/fixtures/app the way PackageApp packs the real app: a tar.gz with manifest.json at its root
/// and a .sha256 sidecar.</summary>
internal static class FixtureArtifacts
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string NewCommit() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    /// <param name="unhealthy">The app's health route answers 503 (manifest flag).</param>
    /// <param name="paddingBytes">Incompressible bytes added as public/padding.bin (a large upload).</param>
    /// <param name="environment">Recorded in the manifest as the environment it was built for, with
    /// <paramref name="supabaseProjectRef"/> (DeployVps refuses an artifact built for another project).</param>
    public static ReleaseArtifact Build(bool unhealthy = false, int paddingBytes = 0, string? commit = null,
        string? environment = null, string? supabaseProjectRef = null)
    {
        commit ??= NewCommit();
        var directory = Path.Combine(DeployEnvironment.TempRoot, "artifacts");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"muva-chat-{commit[..7]}.tar.gz");
        var manifest = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["commit"] = commit,
            ["shortCommit"] = commit[..7],
            ["builtAt"] = DateTimeOffset.UtcNow.ToString("O"),
            ["unhealthy"] = unhealthy,
        }.Concat(environment is null ? [] : new Dictionary<string, object>
        {
            ["environment"] = environment,
            ["supabaseProjectRef"] = supabaseProjectRef ?? "",
        }).ToDictionary(), Indented);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            var app = Path.Combine(Require.RepositoryRoot, "tests", "fixtures", "app");
            foreach (var source in Directory.GetFiles(app, "*", SearchOption.AllDirectories))
                tar.WriteEntry(source, Path.GetRelativePath(app, source).Replace('\\', '/'));
            Add(tar, "manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest));
            if (paddingBytes > 0) Add(tar, "public/padding.bin", RandomNumberGenerator.GetBytes(paddingBytes));
        }
        File.WriteAllText(
            ReleaseArtifact.ChecksumPathFor(path),
            $"{ReleaseArtifact.ComputeSha256(path)}  {Path.GetFileName(path)}\n"
        );
        return ReleaseArtifact.Load(path);
    }

    private static void Add(TarWriter tar, string name, byte[] content)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content),
            Mode = (UnixFileMode)0b110_100_100,
        };
        tar.WriteEntry(entry);
    }
}
