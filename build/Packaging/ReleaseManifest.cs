using System.Text.Json;
using System.Text.Json.Serialization;

namespace Build.Packaging;

/// <summary>
/// <c>manifest.json</c> at the root of every artifact (and so of every release folder): which commit the release is,
/// when it was built and what it holds. The health route reads <see cref="Commit"/> from it at run time.
/// </summary>
public sealed record ReleaseManifest
{
    public const string FileName = "manifest.json";
    /// <summary>2: adds <see cref="Environment"/> and <see cref="SupabaseProjectRef"/> (what the browser bundle talks
    /// to).</summary>
    public const int CurrentFormat = 2;

    public int Format { get; init; } = CurrentFormat;
    public required string App { get; init; }
    /// <summary>Full commit sha; with a <c>-dirty</c> suffix when packed from a modified tree
    /// (<c>--allow-dirty</c>).</summary>
    public required string Commit { get; init; }
    public required string ShortCommit { get; init; }
    public bool Dirty { get; init; }
    /// <summary>The environment whose public values (<c>NEXT_PUBLIC_SUPABASE_URL</c>, the anon key) the build inlined;
    /// null when packed without one (a library caller, or an artifact from before format 2).</summary>
    public string? Environment { get; init; }
    /// <summary>The Supabase project the browser bundle talks to (null: a database of our own, like <c>local</c>).
    /// DeployVps refuses to ship the artifact to an environment of another project.</summary>
    public string? SupabaseProjectRef { get; init; }
    /// <summary>UTC, ISO-8601 (<c>2026-11-27T23:40:12Z</c>).</summary>
    public required DateTimeOffset BuiltAt { get; init; }
    public required IReadOnlyList<PackedPath> Paths { get; init; }
    public int FileCount { get; init; }
    public int SymlinkCount { get; init; }
    public long TotalBytes { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new UtcSecondsConverter() },
    };

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    /// <summary>Writes <c>builtAt</c> as <c>yyyy-MM-ddTHH:mm:ssZ</c>: UTC, whole seconds, no offset noise.
    /// (DeployVps reads manifests through ReleaseArtifact.Load.)</summary>
    private sealed class UtcSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        ) =>
            DateTimeOffset.Parse(
                reader.GetString()!,
                System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal
            );

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(
                value
                    .ToUniversalTime()
                    .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
            );
    }
}
