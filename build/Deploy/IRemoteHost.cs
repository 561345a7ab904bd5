namespace Build.Deploy;

/// <summary>
/// A machine the release steps run on: one bash script per call (sent on stdin to <c>bash -s</c>, so nothing of it
/// appears in a process list), or a shell that runs several scripts in turn and streams a file into one of them (a
/// deploy: one connection, one login). Implementations reconnect when a connection was lost, so that a
/// <c>finally</c> can still release the deploy lock after a cut.
/// </summary>
public interface IRemoteHost : IAsyncDisposable
{
    /// <summary>Name in messages: host[:port], or "local".</summary>
    string Name { get; }

    /// <param name="onOutputLine">Each stdout line as it arrives (when the transport can stream), else after the
    /// end.</param>
    Task<ScriptResult> RunScriptAsync(string script, Action<string>? onOutputLine, CancellationToken cancellationToken);

    /// <summary>Starts one bash that runs scripts in turn (<see cref="IRemoteShell"/>), on this host's
    /// connection.</summary>
    Task<IRemoteShell> OpenShellAsync(CancellationToken cancellationToken);
}

