using System.Text.RegularExpressions;

namespace Build.Configuration;

/// <summary>Small format checks shared by the configuration loader and the secret checks.</summary>
public static partial class Rules
{
    [GeneratedRegex("^[a-z][a-z0-9-]*$")] private static partial Regex EnvironmentNameRegex();
    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")] private static partial Regex SecretPrefixRegex();
    [GeneratedRegex("^[a-z]{20}$")] private static partial Regex ProjectRefRegex();
    [GeneratedRegex("^[A-Za-z0-9._-]+$")] private static partial Regex Pm2NameRegex();
    [GeneratedRegex(@"^\d+\s*(us|ms|s|min|h|d)?$")] private static partial Regex DurationRegex();
    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")] private static partial Regex HostNameRegex();

    public static bool IsEnvironmentName(string s) => EnvironmentNameRegex().IsMatch(s);
    public static bool IsSecretPrefix(string s) => SecretPrefixRegex().IsMatch(s);
    public static bool IsProjectRef(string s) => ProjectRefRegex().IsMatch(s);
    public static bool IsPm2Name(string s) => Pm2NameRegex().IsMatch(s);
    public static bool IsPostgresDuration(string s) => DurationRegex().IsMatch(s.Trim());
    public static bool IsHostName(string s) => System.Net.IPAddress.TryParse(s, out _) || HostNameRegex().IsMatch(s);

    /// <summary>host, host:port or [v6]:port, as vps.hosts entries may give a host its own SSH port.</summary>
    public static bool IsHostWithOptionalPort(string s)
    {
        if (IsHostName(s)) return true;
        var cut = s.LastIndexOf(':');
        if (cut <= 0 || !int.TryParse(s[(cut + 1)..], out var port) || port is < 1 or > 65535) return false;
        var host = s[..cut];
        return IsHostName(host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host);
    }

    public static bool IsHttpUrl(string s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;
}
