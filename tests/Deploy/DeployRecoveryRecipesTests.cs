using System.Text.Json.Nodes;
using Build.Deploy;
using Build.Tests.Infrastructure;

namespace Build.Tests.Deploy;

/// <summary>
/// docs/deploy.md's "Recovery at 3 a.m." commands, run as written through the real suite (in-process) against a
/// simulated production host over sshd: only the configuration file (--config=), the release name and the artifact
/// path differ.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DeployRecoveryRecipesTests
{
    private static IReadOnlyList<string> RecoveryCommands()
    {
        var docs = File.ReadAllText(Path.Combine(Require.RepositoryRoot, "docs", "deploy.md"));
        var section = docs[docs.IndexOf("## Recovery at 3 a.m.", StringComparison.Ordinal)..];
        var open = section.IndexOf("```bash\n", StringComparison.Ordinal) + "```bash\n".Length;
        var block = section[open..section.IndexOf("```", open, StringComparison.Ordinal)];
        return block
            .Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("./build.sh ", StringComparison.Ordinal))
            .ToList();
    }

    [Test]
    public async Task The_recovery_commands_in_the_docs_roll_back_go_to_a_named_release_and_break_a_dead_lock()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var ssh = host.Ssh!;
        var a = FixtureArtifacts.Build();
        var b = FixtureArtifacts.Build();
        // Shipped by DeployVps --env=production: built for production's Supabase project, as PackageApp records it.
        var productionRef = System.Text.Json.Nodes.JsonNode.Parse(
            File.ReadAllText(Path.Combine(Require.RepositoryRoot, "build", "environments.json"))
        )!["environments"]!["production"]!["supabaseProjectRef"]!.GetValue<string>();
        var c = FixtureArtifacts.Build(environment: "production", supabaseProjectRef: productionRef);
        string Release(Build.Packaging.ReleaseArtifact artifact) => host.ReleaseOf(artifact);
        await using (var connection = host.Connect())
        {
            var service = new DeployService(
                [host.AsDeployHost(connection)],
                TestContext.Out.WriteLine,
                "tester@recipes"
            );
            await service.DeployAsync(a);
            await service.DeployAsync(b);
        }

        var folder = Directory.CreateTempSubdirectory("recipes-").FullName;
        var config = TestConfiguration.Write(folder, json =>
        {
            var s = host.Settings;
            json["environments"]!["production"]!["vps"] = new JsonObject
            {
                ["transport"] = "ssh",
                ["hosts"] = new JsonArray($"127.0.0.1:{ssh.Port}"),
                ["user"] = "root",
                ["basePath"] = s.BasePath,
                ["pm2AppName"] = s.AppName,
                ["strategy"] = "bluegreen",
                ["ports"] = new JsonArray(s.BluePort, s.GreenPort),
                ["instances"] = 1,
                ["keepReleases"] = 5,
                ["nginxUpstreamFile"] = s.NginxUpstreamFile,
                ["nginxReloadCommand"] = s.NginxReloadCommand,
                ["healthPath"] = s.HealthPath,
                ["pm2Command"] = s.Pm2Command,
                ["pm2Home"] = s.Pm2Home,
                ["healthTimeoutSeconds"] = 10,
                ["drainSeconds"] = 1,
                ["lockWaitSeconds"] = 2,
            };
        });
        var secrets = new Dictionary<string, string>
        {
            ["PROD_VPS_HOST"] = $"127.0.0.1:{ssh.Port}",
            ["PROD_VPS_USER"] = "root",
            ["PROD_VPS_SSH_KEY"] = ssh.ClientKey,
            ["PROD_VPS_HOST_KEY"] = ssh.Fingerprint,
        };
        void DeadLock()
        {
            Directory.CreateDirectory(host.Layout.Lock);
            File.WriteAllText(
                host.Layout.LockInfo,
                "who=ci@github-actions#1\ncommit=dead\nsince=2026-01-01T00:00:00Z\ntoken=dead\n"
            );
        }

        var commands = RecoveryCommands();
        commands.Should().HaveCount(4);
        (string Expected, Action? Before)[] plan =
        [
            (a.Commit, null),              // Rollback: the previous release
            (b.Commit, null),              // Rollback --to=<release>
            (c.Commit, DeadLock),          // DeployVps --break-lock --artifact=...
            (b.Commit, DeadLock),          // Rollback --break-lock
        ];
        try
        {
            for (var i = 0; i < commands.Count; i++)
            {
                plan[i].Before?.Invoke();
                var line = commands[i]
                    .Replace("--to=20261126170210-9f8e7d6", $"--to={Release(b)}")
                    .Replace("--artifact=artifacts/muva-chat-1a2b3c4.tar.gz", $"--artifact={c.Path}");
                var args = line["./build.sh ".Length..]
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Append($"--config={config}")
                    .ToArray();
                var run = await SuiteRun.RunAsync(secrets, args);
                TestContext.Out.WriteLine($"$ {line}\n{run.All}");
                run.ExitCode.Should().Be(0, $"{line}\n{run.All}");
                (await host.ServedCommitEventuallyAsync(plan[i].Expected)).Should().Be(plan[i].Expected, line);
                host.LockHeld.Should().BeFalse(line);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The first bash block after <paramref name="marker"/> in docs/deploy.md, with this host's names, paths
    /// and ports.</summary>
    private static string Recipe(TestHost host, string marker, string release)
    {
        var docs = File.ReadAllText(Path.Combine(Require.RepositoryRoot, "docs", "deploy.md"));
        var section = docs[docs.IndexOf(marker, StringComparison.Ordinal)..];
        var open = section.IndexOf("```bash\n", StringComparison.Ordinal) + "```bash\n".Length;
        return section[open..section.IndexOf("```", open, StringComparison.Ordinal)]
            .Replace("/etc/nginx/conf.d/muva-chat.upstream.conf", host.Nginx.UpstreamFile)
            .Replace("/var/www/muva-chat", host.Settings.BasePath)
            .Replace("muva-chat", host.Settings.AppName)
            .Replace("3000", host.Settings.BluePort.ToString())
            .Replace("3001", host.Settings.GreenPort.ToString())
            // Last: a release name may hold "3000".
            .Replace("release=20261127101500-1a2b3c4", $"release={release}");
    }

    /// <summary>The deploy user's login as the docs assume it: pm2 on PATH, its PM2_HOME.</summary>
    private static string LoginShell(TestHost host)
    {
        var bin = Path.Combine(DeployEnvironment.TempRoot, "recipes-bin");
        Directory.CreateDirectory(bin);
        var pm2 = Path.Combine(bin, "pm2");
        if (!File.Exists(pm2)) File.CreateSymbolicLink(pm2, DeployEnvironment.Pm2);
        return $"export PATH='{bin}':\"$PATH\" PM2_HOME='{host.Settings.Pm2Home}'\n";
    }

    [Test]
    public async Task The_inspection_recipes_in_the_docs_run_as_written_and_leave_the_traffic_alone()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var good = FixtureArtifacts.Build();
        var broken = FixtureArtifacts.Build(unhealthy: true);
        await using (var connection = host.Connect())
        {
            var service = new DeployService(
                [host.AsDeployHost(connection)],
                TestContext.Out.WriteLine,
                "tester@recipes"
            );
            await service.DeployAsync(good);
            var failing = async () => await service.DeployAsync(broken);
            await failing.Should().ThrowAsync<DeployFailedException>();
        }
        var failed = host.ReleaseOf(broken);

        await using var shell = host.Connect();
        var look = await shell.RunScriptAsync(
            LoginShell(host) + Recipe(host, "what is live and what happened (read only)", failed),
            null,
            CancellationToken.None
        );
        TestContext.Out.WriteLine(look.Output + look.Error);
        look.ExitCode.Should().Be(0, look.Error);
        look.Output.Should()
            .Contain(host.ReleaseOf(good))
            .And.Contain("no deploy lock")
            .And.Contain($"{failed}/.deploy-failed:health check")
            .And.Contain(good.Commit)
            .And.Contain($"server 127.0.0.1:{host.Settings.BluePort}");

        var inspect = await shell.RunScriptAsync(
            LoginShell(host) + Recipe(host, "### Inspect a failed release by hand", failed),
            null,
            CancellationToken.None
        );
        TestContext.Out.WriteLine(inspect.Output + inspect.Error);
        inspect.ExitCode.Should().Be(0, inspect.Error);
        inspect.Output.Should().Contain(broken.Commit, "the failed release answered on the idle port");
        host.Pm2Apps().Should().ContainSingle().Which.Should().Be(($"{host.Settings.AppName}-blue", "online"));
        (await host.ServedCommitAsync()).Should().Be(good.Commit);
    }
}
