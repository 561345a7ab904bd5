using System.Reflection;
using Build.Ci;
using Build.Configuration;
using Build.Secrets;
using Cake.Core;

namespace Build;

public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, HostEnvironment.FromProcess());

    /// <summary>The whole command, with the outside world passed in (tests run it in-process).</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, HostEnvironment environment) => RunAsync(args, environment, maskOutput: true);

    /// <param name="maskOutput">False only in tests, which prove a masking test's secret reaches the output without the
    /// masker (otherwise the test could not fail). Not reachable from the command line.</param>
    /// <param name="onErrorHandlesTheError">True only in tests: Cake.Frosting's rule that a task's OnError handles its
    /// error (see <see cref="CakeHost{TContext}.OnErrorHandlesTheError"/>).</param>
    internal static Task<int> RunAsync(IReadOnlyList<string> args, HostEnvironment environment, bool maskOutput, bool onErrorHandlesTheError = false)
    {
        StartupTrace.Mark("Main");
        var masker = new SecretMasker(enabled: maskOutput);
        var rawOut = Console.Out;
        var ci = GitHubActionsReporter.IsRunningOnGitHubActions(environment.GetVariable)
            ? new GitHubActionsReporter(Console.Out, environment.GetVariable("GITHUB_STEP_SUMMARY"), masker.Apply)
            : (ICiReporter)NullCiReporter.Instance;
        if (ci.IsGitHubActions)
        {
            // The runner must learn each value before it could appear anywhere; this line alone bypasses our masking.
            masker.ValueAdded += value =>
            {
                foreach (var line in value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    rawOut.WriteLine($"::add-mask::{line}");
                rawOut.Flush();
            };
        }

        var repositoryRoot = environment.RepositoryRoot ?? RepositoryLocator.ForSuite(environment.WorkingDirectory);
        var configuration = PreloadConfiguration(args, repositoryRoot);
        var host = new CakeHost<BuildContext>(typeof(Program).Assembly)
        {
            Environment = environment,
            OutputFilter = writer => new MaskingTextWriter(writer, masker),
            ContextFactory = (cake, commandLine) => new BuildContext(cake,
                BuildSettingsFactory.Create(Request(commandLine, environment), repositoryRoot, environment.GetVariable, masker, ci,
                    configuration)),
            Lifetime = new BuildLifetime(),
            TaskLifetime = new BuildTaskLifetime(),
            OnErrorHandlesTheError = onErrorHandlesTheError,
            ErrorReporter = exception => CiErrors.Report(ci, exception, repositoryRoot),
            CommandLineDefinition = CommandLineDefinition,
            Help = commandLine => Help(commandLine, repositoryRoot, environment),
        };
        return host.RunAsync(args);
    }

    /// <summary>
    /// Reading and checking the default configuration (about 0.1 s of CPU, most of it first-use JIT) starts at once on
    /// another core, while the host builds its catalog and Cake's services; the context then waits for it. Not for the
    /// views (--help, --tree, ...: they need no configuration) nor with --config (another file). A broken file fails
    /// exactly as before: the error is thrown where the context is built.
    /// </summary>
    private static Task<EnvironmentsFile>? PreloadConfiguration(IReadOnlyList<string> args, string repositoryRoot)
    {
        CommandLine commandLine;
        try { commandLine = CommandLine.Parse(args, CommandLineDefinition); }
        catch (Exception) { return null; } // the host reports it
        if (commandLine.Help || commandLine.Tree || commandLine.Description || commandLine.Version || commandLine.Info
            || commandLine.HasOption("config"))
            return null;
        var path = Path.GetFullPath(BuildSettingsFactory.DefaultConfigPath, repositoryRoot);
        return Task.Run(() => ConfigurationLoader.Load(path));
    }

    public const string DefaultTarget = "Validate";
    public const string DefaultEnvironment = "local";

    /// <summary>The suite's own part of the command line: its default target, --env and --config.</summary>
    internal static readonly CommandLineDefinition CommandLineDefinition = new()
    {
        DefaultTarget = DefaultTarget,
        Options =
        [
            new("env", ["environment"], "ENV", $"Environment to act on (default: {DefaultEnvironment}; the list is below).") { Example = "staging" },
            new("config", [], "PATH", $"Environment file (default: {BuildSettingsFactory.DefaultConfigPath}; a relative path is read from the working directory).")
                { Example = BuildSettingsFactory.DefaultConfigPath },
        ],
    };

    /// <summary>The suite's part of --help; the environments come from --config when given.</summary>
    private static HelpContent Help(CommandLine commandLine, string repositoryRoot, HostEnvironment environment)
    {
        var configPath = commandLine.Option("config") is { } typed
            ? Path.GetFullPath(typed, commandLine.WorkingDirectory ?? environment.WorkingDirectory)
            : Path.Combine(repositoryRoot, BuildSettingsFactory.DefaultConfigPath);
        string environments;
        try
        {
            environments = string.Join(", ", ConfigurationLoader.Load(configPath).Environments.Keys);
        }
        catch (ConfigurationException ex)
        {
            var first = ex.Errors is [var error, ..] ? $"{error.JsonPath}: {error.Message}" : ex.Message;
            environments = $"(not valid: {first}; ./build.sh --target=Validate says more)";
        }
        catch (IOException ex)
        {
            environments = $"(not readable: {ex.Message})";
        }
        var shownPath = Path.GetRelativePath(repositoryRoot, configPath) is var relative && !relative.StartsWith("..", StringComparison.Ordinal) ? relative : configPath;
        return new HelpContent(
            "Release suite for muva-chat: validation, migrations and deploys for each environment of the configuration.",
            [
                $"Environments ({shownPath}): {environments}.",
                "Secrets come from environment variables (or a git-ignored .env.ENV file); see .env.template.",
            ],
            [
                "./build.sh                                     Validate the local rehearsal environment",
                "./build.sh --target=Validate --env=staging     Check staging's configuration and secrets",
                "./build.sh --target=DeployStaging --dryrun     Show what a staging deploy would run",
                "./build.sh --help --target=RollbackMigrations  What RollbackMigrations runs and the arguments it takes",
            ]);
    }

    /// <summary>Every task class of the suite with its declared policies.</summary>
    internal static TaskCatalog Catalog => LazyCatalog.Value;
    private static readonly Lazy<TaskCatalog> LazyCatalog = new(() => TaskCatalog.FromAssembly(typeof(Program).Assembly));

    /// <summary>The command line in the suite's terms: past this point nothing depends on the host's types.</summary>
    internal static RunRequest Request(CommandLine commandLine, HostEnvironment environment) => new(
        commandLine.Target,
        (commandLine.Option("env") ?? DefaultEnvironment).ToLowerInvariant(),
        EnvironmentGiven: commandLine.HasOption("env"),
        commandLine.Option("config"),
        commandLine.WorkingDirectory ?? environment.WorkingDirectory,
        commandLine.DryRun,
        FixedEnvironment: Catalog.Find(commandLine.Target)?.Type.GetCustomAttribute<TargetEnvironmentAttribute>()?.Environment);
}
