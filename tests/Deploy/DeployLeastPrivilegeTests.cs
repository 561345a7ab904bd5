using Build.Deploy;
using Build.Tests.Infrastructure;

namespace Build.Tests.Deploy;

/// <summary>
/// A VPS set up as docs/deploy.md says, with a non-root deploy user: the user owns its base path and PM2, root owns
/// Nginx and the upstream include, and the user's only sudo right is the root-owned switch helper
/// (build/Deploy/nginx-switch.sh). Deploys work end to end; the user can neither write the include nor reload Nginx
/// nor point the upstream anywhere but the configured ports; a failed switch stops the healthy candidate.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DeployLeastPrivilegeTests
{
    private const string User = "muvadeploytest";
    private string _folder = null!;
    private string _helper = null!;
    private string _sudoers = null!;
    private bool _createdUser;

    private readonly DeployRunner _deploy = new("tester@least-privilege");

    [OneTimeSetUp]
    public void CreateDeployUser()
    {
        Require.Tool("sudo");
        Require.Tool("useradd");
        _ = DeployEnvironment.Ssh;
        // The deploy user must reach its folders under the run's temp root.
        File.SetUnixFileMode(DeployEnvironment.TempRoot, (UnixFileMode)0b111_101_101);
        _folder = Path.Combine(DeployEnvironment.TempRoot, "least-privilege");
        Directory.CreateDirectory(_folder);
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);
        var home = Path.Combine(_folder, "home");
        if (!UserExists())
        {
            // As docs/deploy.md: a user with a shell, no password (key login only: '*' is not a locked account).
            Processes.Run("useradd", ["--create-home", "--home-dir", home, "--shell", "/bin/bash", User]);
            Processes.Run("usermod", ["-p", "*", User]);
            _createdUser = true;
        }
        // The helper as docs/deploy.md installs it, root-owned; only its configuration folder differs (a temp one).
        var sbin = Path.Combine(_folder, "sbin");
        Directory.CreateDirectory(sbin);
        File.SetUnixFileMode(sbin, (UnixFileMode)0b111_101_101);
        _helper = Path.Combine(sbin, "muva-nginx-switch");
        var source = File.ReadAllText(Path.Combine(Require.RepositoryRoot, "build", "Deploy", "nginx-switch.sh"));
        File.WriteAllText(
            _helper,
            source.Replace("CONF_DIR=/etc/muva-nginx-switch", $"CONF_DIR={Path.Combine(_folder, "conf")}")
        );
        File.SetUnixFileMode(_helper, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Path.Combine(_folder, "conf"));
        _sudoers = $"/etc/sudoers.d/muva-test-{Environment.ProcessId}";
        File.WriteAllText(_sudoers, $"{User} ALL=(root) NOPASSWD: {_helper}\n");
        File.SetUnixFileMode(_sudoers, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        Processes.Run("visudo", ["-cf", _sudoers]);
    }

    [OneTimeTearDown]
    public void RemoveDeployUser()
    {
        if (_sudoers is not null && File.Exists(_sudoers))
            File.Delete(_sudoers);
        if (!_createdUser)
            return;
        try
        {
            Processes.Run("pkill", ["-u", User]);
        }
        catch (Exception)
        { /* no process left */
        }
        try
        {
            Processes.Run("userdel", [User]);
        }
        catch (Exception ex)
        {
            TestContext.Progress.WriteLine($"userdel: {ex.Message}");
        }
    }

    private static bool UserExists()
    {
        try { Processes.Run("id", ["-u", User]); return true; }
        catch (Exception) { return false; }
    }

    private TestHost NewHost()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        // Root's: Nginx and its include. The user's: the base path and PM2.
        File.WriteAllText(Path.Combine(_folder, "conf", host.Settings.AppName + ".conf"),
            $"upstream_file={host.Nginx.UpstreamFile}\nports=\"{host.Settings.BluePort} {host.Settings.GreenPort}\"\n" +
            $"nginx=(nginx -q -e {host.Nginx.Folder}/error.log -c {host.Nginx.ConfigFile} -p {host.Nginx.Folder}/)\n");
        var hostFolder = Path.GetDirectoryName(host.Settings.BasePath)!;
        File.SetUnixFileMode(hostFolder, (UnixFileMode)0b111_101_101);
        foreach (var owned in new[] { host.Settings.BasePath, host.Settings.Pm2Home! })
        {
            Directory.CreateDirectory(owned);
            Processes.Run("chown", ["-R", $"{User}:", owned]);
        }
        host.Settings = host.Settings with
        {
            NginxSwitchCommand = $"sudo -n {_helper}",
            NginxUpstreamFile = null,
            NginxReloadCommand = "false",
        };
        return host;
    }

    private static IRemoteHost ConnectAsUser(TestHost host) =>
        new SshRemoteHost("127.0.0.1", host.Ssh!.Port, User, host.Ssh.ClientKey, host.Ssh.Fingerprint);

    private Task<DeployResult> DeployAsync(TestHost host, Build.Packaging.ReleaseArtifact artifact) =>
        _deploy.DeployAsync(host, artifact, ConnectAsUser(host));

    private static async Task<ScriptResult> RunAsUserAsync(TestHost host, string script)
    {
        await using var connection = ConnectAsUser(host);
        return await connection.RunScriptAsync(script, null, CancellationToken.None);
    }

    [Test]
    public async Task A_non_root_deploy_user_deploys_through_the_helper_and_can_do_nothing_else_with_nginx()
    {
        var host = NewHost();
        var first = FixtureArtifacts.Build();
        var second = FixtureArtifacts.Build();

        await DeployAsync(host, first);
        await DeployAsync(host, second);

        (await host.ServedCommitEventuallyAsync(second.Commit)).Should().Be(second.Commit);
        File.ReadAllText(host.Nginx.UpstreamFile)
            .Should()
            .Contain($"upstream {host.Settings.AppName} {{ server 127.0.0.1:{host.Settings.GreenPort}; }}");
        new FileInfo(host.Nginx.UpstreamFile).UnixFileMode.Should().NotHaveFlag(UnixFileMode.OtherWrite);
        Processes.Run("stat", ["-c", "%U", host.Nginx.UpstreamFile]).Trim().Should().Be("root");
        Processes.Run("stat", ["-c", "%U", Path.Combine(host.Settings.Pm2Home!, "dump.pm2")]).Trim().Should().Be(User);

        var up = host.Nginx.UpstreamFile;
        var tries = await RunAsUserAsync(host, $$"""
            echo "write: $( { echo 'access_log /root/owned;' >> '{{up}}'; } 2>/dev/null \
              && echo allowed || echo refused)"
            echo "reload: $(sudo -n nginx -s reload >/dev/null 2>&1 && echo allowed || echo refused)"
            echo "other-port: $(sudo -n '{{_helper}}' '{{host.Settings.AppName}}' 22 2>&1 \
              && echo allowed || echo refused)"
            echo "other-name: $(sudo -n '{{_helper}}' 'x;id' {{host.Settings.BluePort}} 2>&1 \
              && echo allowed || echo refused)"
            echo "env: $(sudo -n CONF_DIR=/tmp '{{_helper}}' '{{host.Settings.AppName}}' {{host.Settings.BluePort}} \
              >/dev/null 2>&1 && echo allowed || echo refused)"
            """);
        TestContext.Out.WriteLine(tries.Output + tries.Error);
        tries.Output.Should().Contain("write: refused").And.Contain("reload: refused").And.Contain("env: refused");
        tries.Output.Should().MatchRegex(@"other-port: [^\n]*port 22 is not one of the ports[^\n]*\nrefused");
        tries.Output.Should().MatchRegex(@"other-name: [^\n]*must be letters[^\n]*\nrefused");
        File.ReadAllText(up).Should().NotContain("access_log");
        (await host.ServedCommitAsync()).Should().Be(second.Commit);
    }

    [Test]
    public async Task A_healthy_candidate_does_not_stay_running_when_the_nginx_switch_is_not_allowed()
    {
        var host = NewHost();
        var first = FixtureArtifacts.Build();
        await DeployAsync(host, first);
        // A sudoers line missing (or naming another path): sudo -n refuses at once.
        host.Settings = host.Settings with { NginxSwitchCommand = $"sudo -n {_helper}-not-allowed" };

        var deploy = async () => await DeployAsync(host, FixtureArtifacts.Build());

        var failure = (await deploy.Should().ThrowAsync<DeployFailedException>()).Which;
        failure.Failure.Step.Should().Be("nginx");
        failure
            .Message.Should()
            .Contain("nginx switch failed")
            .And.Contain("candidate stopped")
            .And.Contain("password is required");
        host.Pm2Apps().Should().ContainSingle().Which.Name.Should().Be($"{host.Settings.AppName}-blue");
        (await host.ServedCommitAsync()).Should().Be(first.Commit);
        host.LockHeld.Should().BeFalse();
    }

    /// <summary>docs/deploy.md's "switch by hand" recipe, as written: only the names, paths and ports of this host
    /// differ.</summary>
    private string SwitchByHandRecipe(TestHost host, string release)
    {
        var docs = File.ReadAllText(Path.Combine(Require.RepositoryRoot, "docs", "deploy.md"));
        var section = docs[
            docs.IndexOf("### Last resort without the suite: switch by hand", StringComparison.Ordinal)..
        ];
        var open = section.IndexOf("```bash\n", StringComparison.Ordinal) + "```bash\n".Length;
        var recipe = section[open..section.IndexOf("```", open, StringComparison.Ordinal)];
        recipe.Should().Contain("release=20261126170210-9f8e7d6").And.Contain("port=3000").And.Contain("port=3001");
        return recipe
            .Replace("/var/www/muva-chat", host.Settings.BasePath)
            .Replace("/usr/local/sbin/muva-nginx-switch", _helper)
            .Replace("muva-chat", host.Settings.AppName)
            .Replace("port=3000", $"port={host.Settings.BluePort}")
            .Replace("port=3001", $"port={host.Settings.GreenPort}")
            .Replace("release=20261126170210-9f8e7d6", $"release={release}");
    }

    /// <summary>The deploy user's login as the docs assume it: pm2 on PATH, its PM2_HOME.</summary>
    private string UserShell(TestHost host)
    {
        var bin = Path.Combine(_folder, "bin");
        Directory.CreateDirectory(bin);
        File.SetUnixFileMode(bin, (UnixFileMode)0b111_101_101);
        var pm2 = Path.Combine(bin, "pm2");
        if (!File.Exists(pm2)) File.CreateSymbolicLink(pm2, DeployEnvironment.Pm2);
        return $"set -e\nexport PATH='{bin}':\"$PATH\" PM2_HOME='{host.Settings.Pm2Home}'\n";
    }

    [Test]
    public async Task The_switch_by_hand_recipe_in_the_docs_serves_the_release_and_survives_pm2_kill_and_resurrect()
    {
        var host = NewHost();
        var first = FixtureArtifacts.Build();
        var second = FixtureArtifacts.Build();
        var firstResult = await DeployAsync(host, first);
        await DeployAsync(host, second);

        var run = await RunAsUserAsync(
            host,
            UserShell(host) + SwitchByHandRecipe(host, firstResult.Hosts.Single().Release)
        );
        TestContext.Out.WriteLine(run.Output + run.Error);

        run.ExitCode.Should().Be(0, run.Error);
        (await host.ServedCommitEventuallyAsync(first.Commit)).Should().Be(first.Commit);
        host.CurrentRelease.Should().Be(firstResult.Hosts.Single().Release);
        File.ReadAllText(host.Layout.LiveColorFile).Trim().Should().Be("blue");
        host.Pm2Apps().Should().ContainSingle().Which.Should().Be(($"{host.Settings.AppName}-blue", "online"));
        Processes.Run("stat", ["-c", "%a", Path.Combine(host.Settings.Pm2Home!, "dump.pm2")]).Trim().Should().Be("600");

        // A reboot: PM2's saved list must bring back the color Nginx and .live-color point at.
        var reboot = await RunAsUserAsync(
            host,
            UserShell(host) + "pm2 kill >/dev/null\npm2 resurrect >/dev/null\nsleep 1\n"
        );
        reboot.ExitCode.Should().Be(0, reboot.Error);
        // Up to 60 s (PM2 starting the app again on a loaded machine); it ends as soon as the commit is served.
        string served = "";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (served != first.Commit && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
            served = await host.ServedCommitAsync();
        }
        served.Should().Be(first.Commit, $"PM2's resurrect brings the app back (waited {waited.Elapsed.TotalSeconds:0} s)");
    }
}
