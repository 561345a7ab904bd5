using System.Diagnostics;
using Build.Configuration;
using Build.Processes;
using Build.Secrets;

namespace Build.Deploy;

/// <summary>Builds the deploy hosts of an environment from its <c>vps</c> settings (already checked by the
/// configuration loader) and secrets.</summary>
public static class DeployHosts
{
    /// <param name="secret">Reads a secret (null when unset); only called for the ssh transport.</param>
    /// <param name="require">Reads a required secret, throwing <see cref="MissingSecretException"/> naming its variables.</param>
    public static IReadOnlyList<DeployHost> FromConfig(string environment, DeploySettings? vps, AppSettings app, string repositoryRoot,
        Func<SecretName, string?> secret, Func<SecretName, string> require)
    {
        // Not a configuration error: an environment without hosts (dev) is valid, it just cannot be deployed.
        if (vps is null) throw new ArgumentException($"Environment '{environment}' has no \"vps\" section in build/environments.json, so it cannot be deployed.");
        vps = vps with { Entry = app.Entry };
        return vps.Transport switch
        {
            DeployTransport.Local => [Local(vps, repositoryRoot)],
            DeployTransport.Ssh => Ssh(vps, secret, require),
            _ => throw new UnreachableException($"transport {vps.Transport}"),
        };
    }

    private static DeployHost Local(DeploySettings vps, string repositoryRoot)
    {
        string InRepository(string path) => Path.GetFullPath(path, repositoryRoot);
        var settings = vps with
        {
            BasePath = InRepository(vps.BasePath).TrimEnd('/'),
            NginxUpstreamFile = vps.NginxUpstreamFile is { } file ? InRepository(file) : null,
            Pm2Home = vps.Pm2Home is { } home ? InRepository(home) : null,
        };
        // A rehearsal uses the repository's own PM2 (npm ci) when none is installed globally.
        var repositoryPm2 = Path.Combine(repositoryRoot, "node_modules", ".bin", "pm2");
        if (settings.Pm2Command == "pm2" && ExecutableSearch.OnPath("pm2") is null && File.Exists(repositoryPm2))
            settings = settings with { Pm2Command = repositoryPm2 };
        return new DeployHost(new LocalHost(), settings);
    }

    private static List<DeployHost> Ssh(DeploySettings vps, Func<SecretName, string?> secret, Func<SecretName, string> require)
    {
        var hosts = vps.Hosts.Count > 0
            ? vps.Hosts
            : require(SecretName.VpsHost).Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var user = vps.User ?? require(SecretName.VpsUser);
        var key = require(SecretName.VpsSshKey);
        var pins = HostKeyPins.Parse(secret(SecretName.VpsHostKey));
        var settings = vps with { BasePath = vps.BasePath.TrimEnd('/') };
        return hosts.Select(entry =>
        {
            var (host, port) = SplitHostPort(entry, vps.SshPort);
            IRemoteHost remote = new SshRemoteHost(host, port, user, key, pins.For(host, port), vps.HostKeyAlgorithm);
            return new DeployHost(remote, settings);
        }).ToList();
    }

    /// <summary><c>host</c>, <c>host:port</c>, a bare IPv6 address, or one in brackets with or without a port
    /// (<c>[::1]:2222</c>): the forms <see cref="Configuration.Rules.IsHostWithOptionalPort"/> accepts.</summary>
    public static (string Host, int Port) SplitHostPort(string entry, int defaultPort)
    {
        if (entry.StartsWith('[') && entry.IndexOf(']') is var close and > 0)
        {
            var rest = entry[(close + 1)..];
            var port = rest.StartsWith(':') && int.TryParse(rest[1..], out var given) ? given : defaultPort;
            return (entry[1..close], port);
        }
        var colon = entry.LastIndexOf(':');
        return colon > 0 && !entry.Contains(']') && entry.Count(c => c == ':') == 1
            && int.TryParse(entry[(colon + 1)..], out var hostPort)
            ? (entry[..colon], hostPort)
            : (entry, defaultPort);
    }

    /// <summary>Who deploys, for lock info and revisions.log: the CI actor and run, or user@machine.</summary>
    public static string Who(Func<string, string?> environmentVariable)
    {
        var actor = environmentVariable("GITHUB_ACTOR");
        var run = environmentVariable("GITHUB_RUN_ID");
        return actor is { Length: > 0 }
            ? $"{actor}@github-actions{(run is { Length: > 0 } ? $"#{run}" : "")}"
            : $"{Environment.UserName}@{Environment.MachineName}";
    }
}
