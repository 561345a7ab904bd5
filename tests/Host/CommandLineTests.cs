using Build.Host;
using Cake.Core.Diagnostics;

namespace Build.Tests.Host;

public class CommandLineTests
{
    // The suite's definition (default target Validate, --env, --config), as Program.cs passes it to the host.
    private static CommandLine Parse(IReadOnlyList<string> args) =>
        CommandLine.Parse(args, Program.CommandLineDefinition);

    [Test]
    public void The_host_alone_knows_only_Cake_Frostings_options_and_default_target()
    {
        var line = CommandLine.Parse(["--verbosity=quiet"]);
        line.Target.Should().Be("Default");
        var act = () => CommandLine.Parse(["--env"]);
        act.Should().NotThrow("--env is the suite's option, a task argument to the bare host");
        CommandLine.Parse(["--env=staging"]).TaskArguments.Should().ContainSingle();
    }

    [Test]
    public void Defaults_are_Validate_on_local()
    {
        var line = Parse([]);
        line.Target.Should().Be("Validate");
        line.Option("env").Should().BeNull("the suite applies its default (Program.DefaultEnvironment)");
        line.Verbosity.Should().Be(Verbosity.Normal);
    }

    [Test]
    public void Reads_the_Cake_style_options_and_keeps_the_rest_as_arguments()
    {
        var line = Parse([
            "--target=DeployStaging",
            "--env",
            "Staging",
            "--verbosity=diagnostic",
            "--dryrun",
            "--steps=2",
            "--confirm=production",
        ]);
        line.Target.Should().Be("DeployStaging");
        line.Option("env").Should().Be("Staging", "the suite lower-cases it");
        line.Verbosity.Should().Be(Verbosity.Diagnostic);
        line.DryRun.Should().BeTrue();
        line.Arguments.Should().Contain(new KeyValuePair<string, string>("steps", "2"));
        line.Arguments.Should().Contain(new KeyValuePair<string, string>("confirm", "production"));
    }

    [Test]
    public void Short_names_and_a_bare_first_word_as_target()
    {
        Parse(["-t", "Rollback", "--env=production"])
            .Should()
            .Match<CommandLine>(l => l.Target == "Rollback" && l.Option("env") == "production");
        Parse(["HealthCheck", "--env=staging"]).Target.Should().Be("HealthCheck");
    }

    [TestCase(new[] { "--target" }, "--target needs a value")]
    [TestCase(new[] { "--env=" }, "--env needs a value")]
    [TestCase(
        new[] { "--verbosity=loud" },
        "Unknown verbosity 'loud'. Valid: quiet, minimal, normal, verbose, diagnostic."
    )]
    [TestCase(new[] { "--dryrun=maybe" }, "--dryrun is a switch*")]
    [TestCase(new[] { "--env=staging", "oops" }, "Unexpected word 'oops'*")]
    [TestCase(new[] { "-x" }, "Unknown option '-x'*")]
    [TestCase(
        new[] { "--target=Deploy", "--target=Validate" },
        "Two targets: '--target=Deploy' and '--target=Validate'*"
    )]
    [TestCase(new[] { "Deploy", "-t", "Validate" }, "Two targets: 'Deploy' and '-t Validate'*")]
    [TestCase(new[] { "--env=staging", "--environment=dev" }, "--env is given twice*")]
    [TestCase(new[] { "-e=staging" }, "'-e=staging': -e is --exclusive, as in Cake. Did you mean --env=staging?")]
    [TestCase(
        new[] { "-e", "staging" },
        "Unexpected word 'staging' (-e is --exclusive, as in Cake. Did you mean --env=staging?)*"
    )]
    public void Explains_what_is_wrong(string[] args, string message)
    {
        var act = () => Parse(args);
        act.Should().Throw<CommandLineException>().WithMessage(message + "*");
    }

    [TestCase("--showtree", nameof(CommandLine.Tree))]
    [TestCase("--tree", nameof(CommandLine.Tree))]
    [TestCase("--showdescription", nameof(CommandLine.Description))]
    [TestCase("--showdescriptions", nameof(CommandLine.Description))]
    [TestCase("--descriptions", nameof(CommandLine.Description))]
    [TestCase("--ver", nameof(CommandLine.Version))]
    [TestCase("-e", nameof(CommandLine.Exclusive))]
    [TestCase("--noop", nameof(CommandLine.DryRun))]
    [TestCase("--whatif", nameof(CommandLine.DryRun))]
    [TestCase("-h", nameof(CommandLine.Help))]
    public void Cake_Frosting_aliases_are_the_host_options_not_task_arguments(string word, string property)
    {
        var line = Parse([word]);
        ((bool)typeof(CommandLine).GetProperty(property)!.GetValue(line)!).Should().BeTrue();
        line.TaskArguments.Should().BeEmpty();
    }

    [Test]
    public void Working_directory_has_Cakes_names()
    {
        Parse(["-w", "/tmp"]).WorkingDirectory.Should().Be("/tmp");
        Parse(["--working=src"]).WorkingDirectory.Should().Be("src");
    }
}
