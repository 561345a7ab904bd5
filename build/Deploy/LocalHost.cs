using System.Diagnostics;

namespace Build.Deploy;

/// <summary>
/// Runs the same scripts with bash on this machine and copies files: <c>--env=local</c> rehearses a deploy with no
/// VPS and no SSH, through exactly the steps a VPS receives.
/// </summary>
public sealed class LocalHost(string name = "local") : IRemoteHost
{
    public string Name { get; } = name;

    public async Task<ScriptResult> RunScriptAsync(string script, Action<string>? onOutputLine, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash", "-s")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new RemoteHostException($"{Name}: could not start bash.");
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

    public async Task UploadAsync(string localPath, string remotePath, Action<long, long>? onProgress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(remotePath)!);
        await using var source = File.OpenRead(localPath);
        await using var target = File.Create(remotePath);
        var buffer = new byte[1 << 20];
        long sent = 0, total = source.Length;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            sent += read;
            onProgress?.Invoke(sent, total);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
