using System.Diagnostics;

namespace Build.Deploy;

/// <summary>
/// Runs the same scripts with bash on this machine (streamed files included): <c>--env=local</c> rehearses a deploy
/// with no VPS and no SSH, through exactly the steps a VPS receives.
/// </summary>
public sealed class LocalHost(string name = "local") : IRemoteHost
{
    public string Name { get; } = name;

    /// <summary>What a script gets from this process's environment: where programs are, who and where home
    /// is.</summary>
    public static readonly IReadOnlyList<string> PassedVariables =
    [
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "LANG",
        "LC_ALL",
        "TMPDIR",
    ];

    public async Task<ScriptResult> RunScriptAsync(
        string script,
        Action<string>? onOutputLine,
        CancellationToken cancellationToken
    )
    {
        using var process =
            Process.Start(BashStart()) ?? throw new RemoteHostException($"{Name}: could not start bash.");
        var output = new System.Text.StringBuilder();
        var readOutput = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (output) output.Append(line).Append('\n');
                onOutputLine?.Invoke(line);
            }
        }, CancellationToken.None);
        var readError = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        await readOutput;
        return new ScriptResult(process.ExitCode, output.ToString(), await readError);
    }

    public Task<IRemoteShell> OpenShellAsync(CancellationToken cancellationToken)
    {
        var process = Process.Start(BashStart()) ?? throw new RemoteHostException($"{Name}: could not start bash.");
        IRemoteShell shell = new ShellSession(
            Name,
            process.StandardInput.BaseStream,
            process.StandardOutput.BaseStream,
            process.StandardError.BaseStream,
            broken: () => null,
            close: async () =>
            {
                try
                {
                    process.StandardInput.Close();
                    using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                }
                finally
                {
                    process.Dispose();
                }
            });
        return Task.FromResult(shell);
    }

    /// <summary><c>bash -s</c> with only <see cref="PassedVariables"/> of this process's environment.</summary>
    private static ProcessStartInfo BashStart()
    {
        var start = new ProcessStartInfo("bash", "-s")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A VPS's deploy script sees a login session's environment, not the deploying shell's: the rehearsal does
        // the same, so nothing of this shell (other environments' secrets, tokens) reaches the scripts or the app.
        start.Environment.Clear();
        foreach (var name in PassedVariables)
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) start.Environment[name] = value;
        return start;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
