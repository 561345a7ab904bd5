namespace Build.Deploy;

/// <summary>
/// A host whose first shell starts opening at once, in the background (connection, login, the remote shell's start),
/// while the caller does local work: DeployVps checks its artifact meanwhile. The first <see cref="OpenShellAsync"/>
/// takes that shell; a failure to open it surfaces there, as it would have without the head start. A shell nobody
/// took is closed with the host.
/// </summary>
public sealed class PreconnectedHost : IRemoteHost
{
    private readonly IRemoteHost _inner;
    private readonly CancellationTokenSource _unused = new();
    private Task<IRemoteShell>? _early;

    public PreconnectedHost(IRemoteHost inner)
    {
        _inner = inner;
        // Cancelled only when the host is disposed with the shell never taken (the artifact was refused): an
        // unreachable host then does not hold up the exit for its connection timeout.
        _early = Task.Run(() => inner.OpenShellAsync(_unused.Token));
    }

    public string Name => _inner.Name;

    public Task<ScriptResult> RunScriptAsync(string script, Action<string>? onOutputLine, CancellationToken cancellationToken) =>
        _inner.RunScriptAsync(script, onOutputLine, cancellationToken);

    public async Task<IRemoteShell> OpenShellAsync(CancellationToken cancellationToken)
    {
        var early = Interlocked.Exchange(ref _early, null);
        if (early is null) return await _inner.OpenShellAsync(cancellationToken);
        var shell = await early;
        if (!shell.HasEnded) return shell;
        // Its connection was cut while it waited: a new one, as a lost shell always gets.
        await shell.DisposeAsync();
        return await _inner.OpenShellAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _early, null) is { } early)
        {
            await _unused.CancelAsync();
            try
            {
                await (await early).DisposeAsync();
            }
            catch (Exception ex) when (ex is RemoteHostException or OperationCanceledException or ObjectDisposedException)
            {
                // Never used: whatever went wrong opening it did not matter to anyone.
            }
        }
        await _inner.DisposeAsync();
        _unused.Dispose();
    }
}
