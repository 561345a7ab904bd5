using System.Text.Json;
using System.Text.Json.Serialization;

namespace Build.Packaging;

/// <summary>One configured pack entry: <see cref="Source"/> (relative to the app folder) lands at
/// <see cref="Destination"/> (relative to the release root; <c>.</c> is the root itself).</summary>
public sealed record PackedPath(string Source, string Destination);
