using System.Text.RegularExpressions;
using Build.Host;
using Build.Tests.Infrastructure;

namespace Build.Tests.Host;

/// <summary>The command line refuses what no task of the run reads, before anything runs (no PostgreSQL, no
/// task).</summary>
public class StrictArgumentTests
{
    private static readonly TaskCatalog Catalog = TaskCatalog.FromAssembly(typeof(Build.Program).Assembly);

    [TestCase(new[] { "--dryrn" }, "Unknown option '--dryrn'. Did you mean --dryrun?")]
    [TestCase(
        new[] { "--target=DeployVps", "--brake-lock" },
        "Unknown option '--brake-lock'. Did you mean --break-lock?"
    )]
    [TestCase(new[] { "--target=Validate", "--artifact=x.tar.gz" }, "--artifact is not an argument of Validate")]
    [TestCase(
        new[] { "--target=RollbackMigrations", "--steps=two" },
        "--steps takes a whole number (--steps=N), not 'two'."
    )]
    [TestCase(new[] { "--target=RollbackMigrations", "--steps=1", "--steps=2" }, "--steps is given 2 times")]
    [TestCase(new[] { "--target=CleanLocal", "--delete=soon" }, "--delete is a switch")]
    [TestCase(new[] { "--target=Notify", "--message" }, "--message needs a value")]
    [TestCase(new[] { "--target=Deplo" }, "Unknown target 'Deplo'. Did you mean Deploy?")]
    [TestCase(new[] { "--target=Deploy", "--target=Validate" }, "Two targets")]
    public async Task Refuses_before_anything_runs(string[] args, string message)
    {
        var run = await SuiteRun.RunAsync(null, args);
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain(message);
        run.Out.Should().NotContain("ValidateEnvironment").And.NotContain("Environment:", "no task and no setup ran");
    }

    [Test]
    public async Task Showtree_and_ver_are_Cakes_views_not_a_run()
    {
        var tree = await SuiteRun.RunAsync(null, "--showtree", "--target=Deploy");
        tree.ExitCode.Should().Be(0, tree.All);
        tree.Out.Should()
            .StartWith("Deploy")
            .And.Contain("└─VerifyDeploy")
            .And.NotContain("DeployProduction", "only Deploy's graph");
        tree.Out.Should().NotContain("Setup");

        var version = await SuiteRun.RunAsync(null, "--ver");
        version.ExitCode.Should().Be(0);
        version.Out.Should().StartWith("Build ").And.NotContain("Setup");
    }

    [Test]
    public async Task Help_for_a_target_lists_the_arguments_of_its_graph()
    {
        var run = await SuiteRun.RunAsync(null, "--help", "--target=Deploy");
        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should()
            .Contain("--artifact=PATH")
            .And.Contain("--break-lock")
            .And.Contain("--confirm=ENV")
            .And.Contain("--url=URL")
            .And.NotContain("--steps", "RollbackMigrations is not part of Deploy");
    }

    [Test]
    public async Task Help_names_the_suite_and_the_environments_of_the_configuration_given()
    {
        var run = await SuiteRun.RunAsync(null, "--help");
        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should()
            .Contain("Release suite for muva-chat")
            .And.Contain("--env=ENV")
            .And.Contain("Target to run (default: Validate)")
            .And.Contain("Environments (build/environments.json): local, dev, staging, production.");

        var folder = Directory.CreateTempSubdirectory("help-config-").FullName;
        try
        {
            var config = TestConfiguration.Write(folder, json =>
            {
                var environments = json["environments"]!.AsObject();
                environments["qa"] = environments["staging"]!.DeepClone();
            });
            run = await SuiteRun.RunAsync(null, "--help", $"--config={config}");
            run.ExitCode.Should().Be(0, run.All);
            run.Out.Should().MatchRegex(@"Environments \(.*\): .*\bqa\b");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task An_argument_of_a_dependency_is_accepted()
    {
        var run = await SuiteRun.RunAsync(
            null,
            "--target=Deploy",
            "--env=local",
            "--artifact=missing.tar.gz",
            "--break-lock",
            "--dryrun"
        );
        run.ExitCode.Should().Be(0, run.All);
    }

    /// <summary>
    /// Every argument the tasks read (Arg/Flag/HasArgument/GetArguments in build/Tasks) is declared: by the task class
    /// of the same file, or, in a shared support file, by some task. An undeclared read would be refused at run time.
    /// </summary>
    [Test]
    public void Every_argument_a_task_reads_is_declared()
    {
        var reads = new Regex(@"\.(?:Arg|Flag|HasArgument|GetArguments)\(""([a-z0-9-]+)""");
        var problems = new List<string>();
        foreach (
            var file in Directory.GetFiles(
                Path.Combine(Require.RepositoryRoot, "build"),
                "*.cs",
                SearchOption.AllDirectories
            )
        )
        {
            if (
                file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
                || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
            )
                continue;
            var text = File.ReadAllText(file);
            var taskInFile = Catalog.Tasks.FirstOrDefault(t => Regex.IsMatch(text, $@"\bclass\s+{t.Type.Name}\b"));
            foreach (Match match in reads.Matches(text))
            {
                var name = match.Groups[1].Value;
                if (Program.CommandLineDefinition.IsOption(name)) continue;
                var declared = taskInFile is not null
                    ? taskInFile.Arguments.Any(a => a.Name == name)
                    : Catalog.Arguments.ContainsKey(name);
                if (!declared)
                    problems.Add(
                        $"{Path.GetRelativePath(Require.RepositoryRoot, file)} reads --{name}, which " +
                        $"{(taskInFile?.Name ?? "no task")} declares: add [TaskArgument<T>(\"{name}\", \"...\")]"
                    );
            }
        }
        problems.Should().BeEmpty();
    }

    [Test]
    public void Every_declared_argument_has_a_description_and_a_supported_type()
    {
        foreach (var (name, declarations) in Catalog.Arguments)
            foreach (var (task, argument) in declarations)
            {
                argument.Description.Should().NotBeNullOrWhiteSpace($"{task.Name} --{name}");
                ArgumentValues.IsSupported(argument.ValueType).Should().BeTrue();
            }
    }
}
