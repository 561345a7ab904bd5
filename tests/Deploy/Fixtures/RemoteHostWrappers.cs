using Build.Deploy;

namespace Build.Tests.Deploy;

/// <summary>Passes everything to a real transport; subclasses intervene in the upload (a script with streamed input:
/// the release phase of a deploy).</summary>
internal abstract class RemoteHostWrapper(IRemoteHost inner) : IRemoteHost
{
    public string Name => inner.Name;

    public Task<ScriptResult> RunScriptAsync(
        string script,
        Action<string>? onOutputLine,
        CancellationToken cancellationToken
    ) => inner.RunScriptAsync(script, onOutputLine, cancellationToken);

    public async Task<IRemoteShell> OpenShellAsync(CancellationToken cancellationToken) =>
        new WrappedShell(this, inner, await inner.OpenShellAsync(cancellationToken));
    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>Called before a script with streamed input runs; returns the input to send.</summary>
    protected virtual Task<ScriptInput> BeforeUploadAsync(ScriptInput input, CancellationToken cancellationToken) =>
        Task.FromResult(input);

    private sealed class WrappedShell(RemoteHostWrapper host, IRemoteHost inner, IRemoteShell shell) : IRemoteShell
    {
        public bool HasEnded => shell.HasEnded;

        public async Task<ScriptResult> RunAsync(
            string script,
            ScriptInput? input,
            Action<string>? onOutputLine,
            CancellationToken cancellationToken
        )
        {
            if (input is not null)
            {
                input = await host.BeforeUploadAsync(input, cancellationToken);
                // The deploy checks its shell just before sending a phase; a pause here sits before that check, so a
                // shell that ended during it is replaced as the deploy would have replaced it.
                if (shell.HasEnded)
                {
                    await shell.DisposeAsync();
                    shell = await inner.OpenShellAsync(cancellationToken);
                }
            }
            return await shell.RunAsync(script, input, onOutputLine, cancellationToken);
        }

        public ValueTask DisposeAsync() => shell.DisposeAsync();
    }
}

/// <summary>Cuts the connection for real (the test kills the sshd session processes) once <paramref name="atBytes"/>
/// were sent.</summary>
internal sealed class CutDuringUpload(IRemoteHost inner, long atBytes, Action cut) : RemoteHostWrapper(inner)
{
    private int _cut;
    public bool Cut => _cut == 1;

    protected override Task<ScriptInput> BeforeUploadAsync(ScriptInput input, CancellationToken cancellationToken) =>
        Task.FromResult(input with
        {
            OnProgress = (sent, total) =>
            {
                if (sent >= atBytes && Interlocked.Exchange(ref _cut, 1) == 0) cut();
                input.OnProgress?.Invoke(sent, total);
            },
        });
}

/// <summary>Holds a deploy just before its upload (it holds the host's lock then) until the test opens the
/// gate.</summary>
internal sealed class PauseBeforeUpload(IRemoteHost inner) : RemoteHostWrapper(inner)
{
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task<ScriptInput> BeforeUploadAsync(ScriptInput input, CancellationToken cancellationToken)
    {
        Reached.TrySetResult();
        await Gate.Task.WaitAsync(cancellationToken);
        return input;
    }
}
