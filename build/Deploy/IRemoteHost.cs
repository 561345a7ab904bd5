namespace Build.Deploy;

/// <summary>What a script printed and how it ended.</summary>
public sealed record ScriptResult(int ExitCode, string Output, string Error);

/// <summary>
/// A machine the release steps run on: one bash script per call (sent on stdin to <c>bash -s</c>, so nothing of it
/// appears in a process list), and file uploads with progress. Implementations reconnect when a connection was lost,
/// so that a <c>finally</c> can still release the deploy lock after a cut.
/// </summary>
public interface IRemoteHost : IAsyncDisposable
{
    /// <summary>Name in messages: host[:port], or "local".</summary>
    string Name { get; }

    /// <param name="onOutputLine">Each stdout line as it arrives (when the transport can stream), else after the end.</param>
    Task<ScriptResult> RunScriptAsync(string script, Action<string>? onOutputLine, CancellationToken cancellationToken);

    /// <param name="onProgress">Bytes sent so far, total bytes.</param>
    Task UploadAsync(string localPath, string remotePath, Action<long, long>? onProgress, CancellationToken cancellationToken);
}

/// <summary>A connection-level failure (host key, authentication, network): the message names the host.</summary>
public sealed class RemoteHostException(string message, Exception? inner = null) : Exception(message, inner);
