using System.Diagnostics;

namespace Build.Packaging;

/// <summary>Runs the app's build command through <c>bash -c</c> in the app folder, streaming every output line.</summary>
public static class BuildCommandRunner
{
    private const int FailureTailLines = 15;

    /// <summary>Environment variable the build command receives with the commit being built (Next.js inlines
    /// <c>NEXT_PUBLIC_*</c> variables into the bundle at build time).</summary>
    public const string CommitVariable = "NEXT_PUBLIC_COMMIT_SHA";

    public static async Task RunAsync(string command, string workingDirectory, string commit, Action<string> output, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command))
            throw new InvalidOperationException("project.app.buildCommand is empty in the configuration: nothing to build (pass --skip-build to pack an already-built app).");
        if (!Directory.Exists(workingDirectory))
            throw new DirectoryNotFoundException($"App folder {workingDirectory} (project.app.path) does not exist.");

        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment[CommitVariable] = commit;

        var tail = new Queue<string>();
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > FailureTailLines) tail.Dequeue();
            }
            output(line);
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        // WaitForExitAsync returns once the streams are drained, so the tail is complete here.
        if (process.ExitCode != 0)
        {
            string lastLines;
            lock (tail) lastLines = string.Join(Environment.NewLine, tail);
            throw new InvalidOperationException(
                $"Build command `{command}` failed with exit code {process.ExitCode} in {workingDirectory}. Last output:{Environment.NewLine}{lastLines}");
        }
    }
}
