using System.Diagnostics;

namespace Build.Processes;

/// <summary>Runs a program and hands every line it prints (stdout and stderr) to a callback as it comes.
/// Cancelling kills the whole process tree.</summary>
public static class ChildProcess
{
    public static async Task<int> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        Action<string> onLine,
        IDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default
    )
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;

        using var process = new Process { StartInfo = info };
        var gate = new object();
        void Forward(string? line)
        {
            if (line is null) return;
            lock (gate) onLine(line);
        }
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        if (!process.Start()) throw new InvalidOperationException($"Could not start {fileName}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Returns once both streams are drained, so every line has been handed over.
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return process.ExitCode;
    }
}
