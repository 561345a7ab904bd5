namespace Build.Deploy.Steps;

/// <summary>
/// First step of a phase that runs under a lock taken earlier (Scripts/guard.sh): if the script fails, or its client
/// vanishes (the next write raises SIGPIPE), the lock is released on the host before the script ends, so a deploy
/// that died with its CI job does not leave it behind. Steps add what a failed run must not leave behind (a partial
/// upload, a half-unpacked folder) to <c>cleanup_paths</c>. Same token check as <see cref="ReleaseLock"/>.
/// </summary>
public sealed record ReleaseLockOnFailure(ReleaseLayout Layout, string Token) : IRemoteStep
{
    public string Name => "guard";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => ["cleanup_paths", "release_own_lock", "remove_leftovers"];

    public void Render(ScriptWriter script) => script
        .Set("guard_lock", Layout.Lock).Set("guard_lock_info", Layout.LockInfo).Set("guard_token", Token)
        .Include("guard.sh");
}
