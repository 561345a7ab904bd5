using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Build.Backup;

/// <summary>
/// What a dump holds, written beside it as <c>&lt;dump&gt;.manifest.json</c>: where and when it was taken, the newest
/// applied migration and the exact row count of every table (read in the very snapshot pg_dump dumped), and the
/// dump's size and SHA-256, so that a restore drill can prove the file is whole and restores to the same data.
/// </summary>
public sealed record BackupManifest
{
    public const string Suffix = ".manifest.json";

    public required string Environment { get; init; }
    public required string Dump { get; init; }
    public required string ServerVersion { get; init; }
    public required int ServerMajor { get; init; }
    public required int PgDumpMajor { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>The suite's commit that took the backup (with -dirty when the tree was modified), or null outside
    /// git.</summary>
    public string? Commit { get; init; }
    /// <summary>The newest row of supabase_migrations.schema_migrations as "version_name", or null without
    /// history.</summary>
    public string? NewestMigration { get; init; }
    /// <summary>Exact row count per table, "schema.table".</summary>
    public required SortedDictionary<string, long> Tables { get; init; }
    public required long Bytes { get; init; }
    public required string Sha256 { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string PathFor(string dumpPath) => dumpPath + Suffix;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads the manifest beside <paramref name="dumpPath"/>; a missing or unreadable one is an error that
    /// says so.</summary>
    public static BackupManifest ReadFor(string dumpPath)
    {
        var path = PathFor(dumpPath);
        if (!File.Exists(path))
            throw new BackupException(
                $"{path} does not exist: every backup BackupDb makes has a manifest beside it; without one the dump "
                    + "cannot be checked (size, SHA-256, row counts). Take a new backup with --target=BackupDb."
            );
        try
        {
            return JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(path), Json)
                   ?? throw new BackupException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new BackupException(
                $"{path} is not a valid backup manifest (line {e.LineNumber + 1}): {e.Message.Split(" Path:")[0]}"
            );
        }
    }

    /// <summary>Size and SHA-256 of a file, streamed.</summary>
    public static async Task<(long Bytes, string Sha256)> HashAsync(
        string path,
        CancellationToken cancellationToken = default
    )
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>Refuses a dump whose size or SHA-256 differs from its manifest (truncated, corrupted, or another
    /// file).</summary>
    public async Task CheckFileAsync(string dumpPath, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(dumpPath)) throw new BackupException($"{dumpPath} does not exist.");
        var (bytes, sha) = await HashAsync(dumpPath, cancellationToken);
        if (bytes != Bytes)
            throw new BackupException(
                $"{dumpPath} is {bytes} bytes but its manifest says {Bytes}: the dump is truncated or was replaced. " +
                "Refused; use another backup."
            );
        if (!string.Equals(sha, Sha256, StringComparison.OrdinalIgnoreCase))
            throw new BackupException(
                $"{dumpPath} has SHA-256 {sha[..16]}… but its manifest says " +
                $"{Sha256[..Math.Min(16, Sha256.Length)]}…: the dump is corrupted. Refused; use another backup."
            );
    }
}
