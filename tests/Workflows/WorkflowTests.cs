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
        var allowed = new[] { "corepack enable", "echo ", "sudo -E env \"PATH=$PATH\" bash .ci/run" };
        Steps().Count(s => Run(s.Step)?.Contains("./build.sh") == true).Should().BeGreaterThanOrEqualTo(5, "the workflows deploy through ./build.sh");
        foreach (var (file, step) in Steps())
        {
            if (Run(step) is not { } script) continue;
            foreach (var line in script.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (line.StartsWith("./build.sh", StringComparison.Ordinal))
                {
                    var target = line.Split(' ').Select(w => w.StartsWith("--target=") ? w["--target=".Length..] : null).FirstOrDefault(t => t is not null);
                    target.Should().NotBeNull($"{file}: '{line}' names its target");
                    targets.Find(target!).Should().NotBeNull($"{file}: target '{target}' exists");
                }
                else
                    allowed.Should().Contain(a => line.StartsWith(a, StringComparison.Ordinal), $"{file}: '{line}' is logic that belongs in a target");
            }
        }
    }

    [Test]
    public void Every_secret_a_workflow_passes_is_a_variable_the_suite_reads()
    {
        var known = string.Concat(Directory.GetFiles(Require.RepositoryRoot, ".env.*.template").Select(File.ReadAllText));
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

    [Test]
    public void The_production_workflow_builds_a_staging_and_a_production_artifact_and_ships_each_to_its_own_environment()
    {
        var jobs = (YamlMappingNode)Load(Path.Combine(Folder, "deploy-production.yml"))["jobs"];
        string Script(string job) => string.Join("\n", ((YamlSequenceNode)((YamlMappingNode)jobs[job])["steps"]).Children
            .Cast<YamlMappingNode>().Select(Run).Where(r => r is not null));

        var package = Script("package");
        package.Should().Contain("./build.sh --target=PackageApp --env=staging")
            .And.Contain("./build.sh --target=PackageApp --env=production", "each bundle inlines its own project's URL and anon key");
        Script("staging").Should().Contain("--target=DeployStaging --artifact=${{ needs.package.outputs.staging }}");
        Script("production").Should().Contain("--target=DeployProduction --artifact=${{ needs.package.outputs.production }}");
    }
}
