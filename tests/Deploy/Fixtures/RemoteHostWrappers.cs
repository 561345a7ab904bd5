using Build.Deploy;

namespace Build.Tests.Deploy;

/// <summary>Passes everything to a real transport; subclasses intervene in the upload.</summary>
internal abstract class RemoteHostWrapper(IRemoteHost inner) : IRemoteHost
{
    public string Name => inner.Name;
    public Task<ScriptResult> RunScriptAsync(string script, Action<string>? onOutputLine, CancellationToken cancellationToken) =>
        inner.RunScriptAsync(script, onOutputLine, cancellationToken);
    public virtual Task UploadAsync(string localPath, string remotePath, Action<long, long>? onProgress, CancellationToken cancellationToken) =>
        inner.UploadAsync(localPath, remotePath, onProgress, cancellationToken);
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

/// <summary>Cuts the connection for real (the test kills the sshd session processes) once <paramref name="atBytes"/> were sent.</summary>
internal sealed class CutDuringUpload(IRemoteHost inner, long atBytes, Action cut) : RemoteHostWrapper(inner)
{
    private int _cut;
    public bool Cut => _cut == 1;

    public override Task UploadAsync(string localPath, string remotePath, Action<long, long>? onProgress, CancellationToken cancellationToken) =>
        base.UploadAsync(localPath, remotePath, (sent, total) =>
        {
            if (sent >= atBytes && Interlocked.Exchange(ref _cut, 1) == 0) cut();
            onProgress?.Invoke(sent, total);
        }, cancellationToken);
}

/// <summary>Holds a deploy just before its upload (it holds the host's lock then) until the test opens the gate.</summary>
internal sealed class PauseBeforeUpload(IRemoteHost inner) : RemoteHostWrapper(inner)
{
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task UploadAsync(string localPath, string remotePath, Action<long, long>? onProgress, CancellationToken cancellationToken)
    {
        Reached.TrySetResult();
        await Gate.Task.WaitAsync(cancellationToken);
        await base.UploadAsync(localPath, remotePath, onProgress, cancellationToken);
    }
}
