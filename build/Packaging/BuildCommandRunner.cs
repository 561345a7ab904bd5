using Build.Processes;

namespace Build.Packaging;

/// <summary>Runs the app's build command through <c>bash -c</c> in the app folder, streaming every output
/// line.</summary>
public static class BuildCommandRunner
{
    private const int FailureTailLines = 15;

    /// <summary>Environment variable the build command receives with the commit being built (Next.js inlines
    /// <c>NEXT_PUBLIC_*</c> variables into the bundle at build time).</summary>
    public const string CommitVariable = "NEXT_PUBLIC_COMMIT_SHA";

    /// <param name="environment">Extra variables for the build (secrets among them travel here, never in
    /// arguments).</param>
    public static async Task RunAsync(
        string command,
        string workingDirectory,
        string commit,
        Action<string> output,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null
    )
    {
        if (string.IsNullOrWhiteSpace(command))
            throw new InvalidOperationException(
                "project.app.buildCommand is empty in the configuration: nothing to build (pass --skip-build to pack " +
                "an already-built app)."
            );
        if (!Directory.Exists(workingDirectory))
            throw new DirectoryNotFoundException($"App folder {workingDirectory} (project.app.path) does not exist.");

        var tail = new Queue<string>();
        void OnLine(string line)
        {
            tail.Enqueue(line);
            if (tail.Count > FailureTailLines) tail.Dequeue();
            output(line);
        }

        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            [CommitVariable] = commit,
        };
        var exitCode = await ChildProcess.RunAsync(
            "bash",
            ["-c", command],
            workingDirectory,
            OnLine,
            variables,
            cancellationToken
        );
        if (exitCode != 0)
            throw new InvalidOperationException(
                $"Build command `{command}` failed with exit code {exitCode} in {workingDirectory}. Last output:" +
                $"{Environment.NewLine}{string.Join(Environment.NewLine, tail)}"
            );
    }
}
