namespace Build.Deploy;

/// <summary>
/// One bash on a host that runs several scripts in turn (a deploy's lock phase, then its release phase with the
/// artifact streamed in), over one connection and one login. Each script runs in a subshell of its own, with stdin on
/// /dev/null, so a phase's <c>exit</c>, traps and variables end with it; only what is streamed to it reaches it.
/// </summary>
public interface IRemoteShell : IAsyncDisposable
{
    /// <summary>The shell is gone (its connection closed, bash ended): a new one is needed for the next
    /// script.</summary>
    bool HasEnded { get; }

    /// <param name="input">Bytes the script reads on file descriptor 3 (exactly <see cref="ScriptInput.Length"/> of
    /// them are consumed whatever the script does, so nothing of them is ever read as a command).</param>
    /// <param name="onOutputLine">Each stdout line as it arrives.</param>
    Task<ScriptResult> RunAsync(
        string script,
        ScriptInput? input,
        Action<string>? onOutputLine,
        CancellationToken cancellationToken
    );
}
