using System.Reflection;
using Build.Ci;
using Build.Configuration;
using Build.Host;
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
        var host = new CakeHost<BuildContext>(typeof(Program).Assembly)
        {
            Environment = environment,
            OutputFilter = writer => new MaskingTextWriter(writer, masker),
            ContextFactory = (cake, commandLine) => new BuildContext(cake,
                BuildSettingsFactory.Create(Request(commandLine, environment), repositoryRoot, environment.GetVariable, masker, ci)),
            Lifetime = new BuildLifetime(),
            TaskLifetime = new BuildTaskLifetime(),
            OnErrorHandlesTheError = onErrorHandlesTheError,
            ErrorReporter = exception => CiErrors.Report(ci, exception, repositoryRoot),
            EnvironmentNames = () => ConfigurationLoader.Load(Path.Combine(repositoryRoot, BuildSettingsFactory.DefaultConfigPath)).Environments.Keys,
        };
        return host.RunAsync(args);
    }

    /// <summary>Every task class of the suite with its declared policies.</summary>
    internal static TaskCatalog Catalog => LazyCatalog.Value;
    private static readonly Lazy<TaskCatalog> LazyCatalog = new(() => TaskCatalog.FromAssembly(typeof(Program).Assembly));

    /// <summary>The command line in the suite's terms: past this point nothing depends on the host's types.</summary>
    internal static RunRequest Request(CommandLine commandLine, HostEnvironment environment) => new(
        commandLine.Target,
        commandLine.Environment,
        EnvironmentGiven: commandLine.Arguments.Any(a => a.Key == "env"),
        commandLine.ConfigPath,
        commandLine.WorkingDirectory ?? environment.WorkingDirectory,
        commandLine.DryRun,
        FixedEnvironment: Catalog.Find(commandLine.Target)?.Type.GetCustomAttribute<TargetEnvironmentAttribute>()?.Environment);
}
