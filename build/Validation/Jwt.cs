using System.Text;
using System.Text.Json;

namespace Build.Validation;

/// <summary>Reads a JWT's claims without verifying its signature (we only check which project and role it is
/// for).</summary>
public static class Jwt
{
    /// <summary>The payload's claims, or null when <paramref name="token"/> is not a JWT.</summary>
    public static JsonElement? TryReadClaims(string token)
    {
        var parts = token.Trim().Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0)) return null;
        try
        {
            using var header = JsonDocument.Parse(DecodeSegment(parts[0]));
            if (
                header.RootElement.ValueKind != JsonValueKind.Object
                || !header.RootElement.TryGetProperty("alg", out _)
            )
                return null;
            using var payload = JsonDocument.Parse(DecodeSegment(parts[1]));
            return payload.RootElement.ValueKind == JsonValueKind.Object ? payload.RootElement.Clone() : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    public static string? Claim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static byte[] DecodeSegment(string segment)
    {
        var s = segment.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
        return Convert.FromBase64String(s);
    }

    public static string EncodeSegment(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string EncodeSegment(string json) => EncodeSegment(Encoding.UTF8.GetBytes(json));
}
