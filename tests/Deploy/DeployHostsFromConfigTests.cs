using Build.Configuration;
using Build.Deploy;
using Build.Secrets;
using Build.Tests.Infrastructure;

namespace Build.Tests.Deploy;

/// <summary>How an environment's vps settings and secrets become deploy targets.</summary>
[TestFixture]
public sealed class DeployHostsFromConfigTests
{
    private static readonly AppSettings App = new() { Entry = "server.js" };

    private static DeploySettings Vps(string transport) => new()
    {
        Transport = transport == "local" ? DeployTransport.Local : DeployTransport.Ssh,
        BasePath = transport == "local" ? ".local/www/app" : "/var/www/app",
        AppName = "app",
        Pm2Home = transport == "local" ? ".local/pm2" : null,
        Ports = [3000, 3001],
        NginxUpstreamFile = transport == "ssh" ? "/etc/nginx/conf.d/app.upstream.conf" : null,
    };

    private static Func<SecretName, string?> Secrets(Dictionary<SecretName, string> values) =>
        name => values.GetValueOrDefault(name);

    private static Func<SecretName, string> Required(Dictionary<SecretName, string> values) =>
        name => values.TryGetValue(name, out var v) ? v : throw new MissingSecretException(name, [$"PROD_{name}"]);

    [Test]
    public async Task The_local_transport_resolves_relative_paths_in_the_repository_and_reads_no_secret()
    {
        var read = new List<SecretName>();
        var targets = DeployHosts.FromConfig(
            "local",
            Vps("local"),
            App,
            "/repo",
            name =>
            {
                read.Add(name);
                return null;
            },
            name => throw new InvalidOperationException()
        );

        var target = targets.Should().ContainSingle().Subject;
        target.Host.Should().BeOfType<LocalHost>();
        target.Settings.BasePath.Should().Be("/repo/.local/www/app");
        target.Settings.Pm2Home.Should().Be("/repo/.local/pm2");
        read.Should().BeEmpty();
        await target.Host.DisposeAsync();
    }

    [Test]
    public void The_ssh_transport_refuses_a_host_without_a_pinned_key_before_connecting()
    {
        var secrets = new Dictionary<SecretName, string>
        {
            [SecretName.VpsHost] = "203.0.113.10",
            [SecretName.VpsUser] = "deploy",
            [SecretName.VpsSshKey] = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-used\n-----END OPENSSH PRIVATE KEY-----",
        };

        var build = () =>
            DeployHosts.FromConfig("production", Vps("ssh"), App, "/repo", Secrets(secrets), Required(secrets));

        build
            .Should()
            .Throw<RemoteHostException>()
            .WithMessage("203.0.113.10:22: no pinned host key. Set VPS_HOST_KEY*");
    }

    [Test]
    public async Task The_ssh_transport_takes_hosts_from_the_secret_and_a_pin_per_host()
    {
        var secrets = new Dictionary<SecretName, string>
        {
            [SecretName.VpsHost] = "web1.example.net, web2.example.net",
            [SecretName.VpsUser] = "deploy",
            [SecretName.VpsSshKey] = "key",
            [SecretName.VpsHostKey] = "web1.example.net=SHA256:one web2.example.net=SHA256:two",
        };

        var targets = DeployHosts.FromConfig(
            "production",
            Vps("ssh"),
            App,
            "/repo",
            Secrets(secrets),
            Required(secrets)
        );

        targets.Select(t => t.Name).Should().Equal("web1.example.net", "web2.example.net");
        targets.Should().AllSatisfy(t => t.Settings.BasePath.Should().Be("/var/www/app"));
        foreach (var t in targets) await t.Host.DisposeAsync();
    }

    [Test]
    public async Task Each_host_is_checked_against_its_own_pin()
    {
        // Two real sshd "machines" with different host keys; the first one's client key is let into the second.
        var first = DeployEnvironment.Ssh;
        var second = DeployEnvironment.SecondSsh;
        first.Fingerprint.Should().NotBe(second.Fingerprint);
        var authorized = Path.Combine(second.Folder, "authorized_keys");
        var firstClient = File.ReadAllText(Path.Combine(first.Folder, "id_ed25519.pub")).Trim();
        if (!File.ReadAllText(authorized).Contains(firstClient))
            File.AppendAllText(authorized, "\n" + firstClient + "\n");
        var secrets = new Dictionary<SecretName, string>
        {
            [SecretName.VpsHost] = $"127.0.0.1:{first.Port}, 127.0.0.1:{second.Port}",
            [SecretName.VpsUser] = "root",
            [SecretName.VpsSshKey] = first.ClientKey,
            // Listed in the other order than the hosts: each pin goes to the host it names.
            [SecretName.VpsHostKey] =
                $"127.0.0.1:{second.Port}={second.Fingerprint} 127.0.0.1:{first.Port}={first.Fingerprint}",
        };

        var targets = DeployHosts.FromConfig(
            "production",
            Vps("ssh"),
            App,
            "/repo",
            Secrets(secrets),
            Required(secrets)
        );
        try
        {
            foreach (var target in targets)
            {
                var result = await target.Host.RunScriptAsync("echo connected", null, CancellationToken.None);
                result.ExitCode.Should().Be(0, $"{target.Name}: {result.Error}");
                result.Output.Should().Contain("connected");
            }
        }
        finally
        {
            foreach (var t in targets) await t.Host.DisposeAsync();
        }
    }

    [Test]
    public async Task Authentication_refused_by_sshd_names_the_host_the_user_and_the_key_variable()
    {
        var server = DeployEnvironment.Ssh;
        var keyFile = Path.Combine(DeployEnvironment.TempRoot, $"stranger-{Guid.NewGuid():N}");
        Processes.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "not-authorized", "-f", keyFile]);
        var cases = new[]
        {
            ("root", File.ReadAllText(keyFile)),             // a key the server does not know
            ("nobody-deploys-here", server.ClientKey),       // a known key for a user that does not exist
        };
        foreach (var (user, key) in cases)
        {
            await using var host = new SshRemoteHost("127.0.0.1", server.Port, user, key, server.Fingerprint);

            var run = async () =>
                await host.RunScriptAsync("touch /tmp/should-never-run", null, CancellationToken.None);

            (await run.Should().ThrowAsync<RemoteHostException>()).Which.Message
                .Should().Be($"127.0.0.1:{server.Port}: authentication as '{user}' with VPS_SSH_KEY was refused.");
        }
    }

    [Test]
    public void A_missing_ssh_key_names_its_variable()
    {
        var secrets = new Dictionary<SecretName, string>
        {
            [SecretName.VpsHost] = "web1",
            [SecretName.VpsUser] = "deploy",
        };

        var build = () =>
            DeployHosts.FromConfig("production", Vps("ssh"), App, "/repo", Secrets(secrets), Required(secrets));

        build.Should().Throw<MissingSecretException>().Which.Secret.Should().Be(SecretName.VpsSshKey);
    }

    [Test]
    public void An_environment_without_vps_settings_cannot_be_deployed()
    {
        var build = () => DeployHosts.FromConfig("dev", null, App, Require.RepositoryRoot, _ => null, _ => "");

        build.Should().Throw<ArgumentException>().WithMessage("Environment 'dev' has no \"vps\" section*");
    }

    // Every form the configuration accepts (Rules.IsHostWithOptionalPort) reaches SSH as the host and port it names:
    // "[::1]:2222" was accepted by validation but connected to host "[::1]:2222" on the default port.
    [TestCase("vps.example.org", "vps.example.org", 22)]
    [TestCase("vps.example.org:2222", "vps.example.org", 2222)]
    [TestCase("10.0.0.5:65535", "10.0.0.5", 65535)]
    [TestCase("::1", "::1", 22)]
    [TestCase("[::1]:2222", "::1", 2222)]
    [TestCase("[::1]", "::1", 22)]
    [TestCase("[vps.example.org]:2222", "vps.example.org", 2222)]
    public void A_host_entry_splits_into_the_host_and_port_validation_accepted(string entry, string host, int port)
    {
        Rules.IsHostWithOptionalPort(entry).Should().BeTrue();
        DeployHosts.SplitHostPort(entry, 22).Should().Be((host, port));
    }
}
