using System.Text.RegularExpressions;

namespace Build.Configuration;

/// <summary>Small format checks shared by the configuration loader and the secret checks.</summary>
public static partial class Rules
{
    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex EnvironmentNameRegex();

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex SecretPrefixRegex();

    [GeneratedRegex("^[a-z]{20}$")]
    private static partial Regex ProjectRefRegex();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex Pm2NameRegex();

    [GeneratedRegex(@"^\d+\s*(us|ms|s|min|h|d)?$")]
    private static partial Regex DurationRegex();

    [GeneratedRegex(
        @"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
    )]
    private static partial Regex HostNameRegex();

    [GeneratedRegex("^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9._-]+)?$")]
    private static partial Regex GitHubOwnerRegex();

    /// <summary>@user or @org/team, as CODEOWNERS and environment reviewers name them.</summary>
    public static bool IsGitHubOwner(string s) => GitHubOwnerRegex().IsMatch(s);
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

    /// <summary>Top-level folders a deploy must never own: it creates, links and prunes releases/ under
    /// basePath.</summary>
    private static readonly HashSet<string> SystemFolders =
    [
        "/bin",
        "/boot",
        "/dev",
        "/etc",
        "/home",
        "/lib",
        "/lib64",
        "/opt",
        "/proc",
        "/root",
        "/run",
        "/sbin",
        "/srv",
        "/sys",
        "/tmp",
        "/usr",
        "/var",
        "/var/www",
    ];

    /// <summary>Why a deploy's basePath is unsafe (the file system root, a system folder, a .. segment, the
    /// repository itself), or null when it is a folder of its own.</summary>
    public static string? UnsafeBasePath(string basePath)
    {
        var segments = basePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Contains(".."))
            return $"expected a folder of the app's own, without '..' segments, got \"{basePath}\"";
        var normalized = "/" + string.Join('/', segments.Where(s => s != "."));
        if (basePath.StartsWith('/') && normalized == "/")
            return $"\"{basePath}\" is the file system's root: releases, links and pruning there would touch the " +
                "whole host. Give the app's own folder, e.g. /var/www/muva-chat";
        if (basePath.StartsWith('/') && SystemFolders.Contains(normalized))
            return $"\"{basePath}\" is a system folder: give the app a folder of its own inside it, e.g. " +
                $"{normalized}/muva-chat";
        if (!basePath.StartsWith('/') && segments.All(s => s == "."))
            return $"\"{basePath}\" is the repository itself: give the local release folder a name, e.g. " +
                ".local/www/muva-chat";
        return null;
    }

    /// <summary>The host key algorithms SSH.NET can pin (its ConnectionInfo.HostKeyAlgorithms, in its order of
    /// preference). Listed rather than asked for, so loading the configuration does not load SSH.NET; a test keeps the
    /// list equal to the library's and to the schema's enum.</summary>
    public static readonly IReadOnlyList<string> HostKeyAlgorithms =
    [
        "ssh-ed25519-cert-v01@openssh.com",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        "ecdsa-sha2-nistp521-cert-v01@openssh.com",
        "rsa-sha2-512-cert-v01@openssh.com",
        "rsa-sha2-256-cert-v01@openssh.com",
        "ssh-rsa-cert-v01@openssh.com",
        "ssh-ed25519",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "rsa-sha2-512",
        "rsa-sha2-256",
        "ssh-rsa",
    ];

    /// <summary>An absolute http(s) URL (System.Uri refuses one without a host: "http:///x", "https://:80/").</summary>
    public static bool IsHttpUrl(string s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
