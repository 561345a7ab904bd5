namespace Build.Deploy;

/// <summary>A local file streamed to a script's file descriptor 3 (<see cref="IRemoteShell.RunAsync"/>).</summary>
/// <param name="OnProgress">Bytes sent so far, total bytes.</param>
public sealed record ScriptInput(string LocalPath, Action<long, long>? OnProgress = null)
{
    public long Length => new FileInfo(LocalPath).Length;
}
