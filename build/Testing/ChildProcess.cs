using System.Diagnostics;

namespace Build.Testing;

/// <summary>Runs a program with its output forwarded line by line through our (masked) console.</summary>
public static class ChildProcess
{
    public static async Task<int> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
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

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = Pump(process.StandardOutput, Console.Out);
        var stderr = Pump(process.StandardError, Console.Error);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await Task.WhenAll(stdout, stderr);
        return process.ExitCode;
    }

    private static async Task Pump(StreamReader reader, TextWriter writer)
    {
        while (await reader.ReadLineAsync() is { } line) writer.WriteLine(line);
    }
}
