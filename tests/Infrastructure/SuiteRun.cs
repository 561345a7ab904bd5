using Build.Host;

namespace Build.Tests.Infrastructure;

/// <summary>Runs the real suite in-process, with a given set of environment variables and nothing from the
/// shell.</summary>
public static class SuiteRun
{
    public sealed record Result(int ExitCode, string Out, string Error, IReadOnlyCollection<string> VariablesRead)
    {
        public string All => Out + Error;
    }

    public static Task<Result> RunAsync(IReadOnlyDictionary<string, string>? variables, params string[] args) =>
        RunInAsync(null, variables, args);

    /// <summary>As <see cref="RunAsync"/> with the console masker switched off: a masking test runs its scenario this
    /// way too, to prove the secret it looks for really reaches the console (else the test could not fail).</summary>
    public static Task<Result> RunUnmaskedAsync(IReadOnlyDictionary<string, string>? variables, params string[] args) =>
        RunCoreAsync(null, variables, args, maskOutput: false);

    /// <summary>As <see cref="RunAsync"/> under Cake.Frosting's rule that a task's OnError handles its error: what the
    /// run would do after a move to Cake.Frosting, where our host's rethrow is gone.</summary>
    public static Task<Result> RunAsFrostingAsync(
        IReadOnlyDictionary<string, string>? variables,
        params string[] args
    ) => RunCoreAsync(null, variables, args, maskOutput: true, onErrorHandlesTheError: true);

    /// <summary>As <see cref="RunAsync"/>, on another checkout (a <see cref="ScratchRepository"/>), run from its
    /// root.</summary>
    public static Task<Result> RunInAsync(
        string? repositoryRoot,
        IReadOnlyDictionary<string, string>? variables,
        params string[] args
    ) => RunCoreAsync(repositoryRoot, variables, args, maskOutput: true);

    private static async Task<Result> RunCoreAsync(
        string? repositoryRoot,
        IReadOnlyDictionary<string, string>? variables,
        string[] args,
        bool maskOutput,
        bool onErrorHandlesTheError = false
    )
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        var env = new HostEnvironment
        {
            WorkingDirectory = repositoryRoot ?? Require.RepositoryRoot,
            RepositoryRoot = repositoryRoot,
            GetVariable = name =>
            {
                lock (read) read.Add(name);
                return name == "NO_COLOR" ? "1" : variables?.GetValueOrDefault(name);
            },
        };
        // Cake makes the working directory the process's current one: put it back (a scratch folder is deleted after).
        var currentDirectory = Directory.GetCurrentDirectory();
        try
        {
            using var capture = new ConsoleCapture();
            var code = await Program.RunAsync(args, env, maskOutput, onErrorHandlesTheError);
            return new Result(code, capture.Out, capture.Error, read);
        }
        finally
        {
            Directory.SetCurrentDirectory(currentDirectory);
        }
    }
}
