using System.Diagnostics;

namespace Build.Tests.Infrastructure;

/// <summary>
/// Runs a program to its end the way every test needs it: arguments as a list (no shell quoting), both streams read at
/// once (a full pipe never blocks the child), and a deadline after which the whole process tree is killed.
/// </summary>
public static class ChildProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public string All => Out + Error;
    }

    /// <param name="environment">Variables to set; a null value removes the variable the child would inherit.</param>
    public static Result Run(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IEnumerable<KeyValuePair<string, string?>>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? [])
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? DefaultTimeout;
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{Describe(program, start.ArgumentList)} did not finish within {limit.TotalSeconds:0} s"
            );
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>As <see cref="Run"/>; throws with the command and its output unless it exits 0. Returns its
    /// stdout.</summary>
    public static string Check(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IEnumerable<KeyValuePair<string, string?>>? environment = null, TimeSpan? timeout = null)
    {
        var list = arguments.ToList();
        var result = Run(program, list, workingDirectory, environment, timeout);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{Describe(program, list)} exited {result.ExitCode}: {result.All}");
        return result.Out;
    }

    private static string Describe(string program, IEnumerable<string> arguments) =>
        $"{program} {string.Join(' ', arguments)}".TrimEnd();
}
