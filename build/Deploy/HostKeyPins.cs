using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Build.Deploy;

/// <summary>
/// Pinned host key fingerprints from VPS_HOST_KEY: one or more <c>SHA256:&lt;base64 without padding&gt;</c> as
/// <c>ssh-keygen -lf</c> prints them (a pasted whole line works), each optionally prefixed with <c>host=</c> or
/// <c>host:port=</c> when hosts have different keys. A host-specific pin wins over an unprefixed one.
/// </summary>
public sealed partial class HostKeyPins
{
    private readonly List<(string? Host, string Fingerprint)> _pins;

    private HostKeyPins(List<(string? Host, string Fingerprint)> pins) => _pins = pins;

    public static HostKeyPins Parse(string? text)
    {
        var pins = new List<(string?, string)>();
        foreach (Match m in PinPattern().Matches(text ?? ""))
            pins.Add((m.Groups["host"].Success ? m.Groups["host"].Value : null, m.Groups["fp"].Value.TrimEnd('=')));
        return new HostKeyPins(pins);
    }

    public bool IsEmpty => _pins.Count == 0;

    /// <summary>The fingerprint (without <c>SHA256:</c>) pinned for host:port, or null.</summary>
    public string? For(string host, int port) =>
        _pins.FirstOrDefault(p => p.Host == $"{host}:{port}").Fingerprint
        ?? _pins.FirstOrDefault(p => p.Host == host).Fingerprint
        ?? _pins.FirstOrDefault(p => p.Host is null).Fingerprint;

    /// <summary>Constant-time comparison of two fingerprints.</summary>
    public static bool Matches(string presented, string pinned) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(presented.TrimEnd('=')),
            Encoding.ASCII.GetBytes(pinned.TrimEnd('='))
        );

    [GeneratedRegex(@"(?:(?<host>[^\s,=]+)=)?SHA256:(?<fp>[A-Za-z0-9+/]+=*)")]
    private static partial Regex PinPattern();
}
