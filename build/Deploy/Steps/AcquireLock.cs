namespace Build.Deploy.Steps;

/// <summary>
/// Takes the host's deploy lock (Scripts/lock.sh): <c>mkdir</c> is atomic, so of two deploys exactly one creates the
/// folder. The other polls until <see cref="WaitSeconds"/> passes, then fails naming the holder.
/// <see cref="BreakStale"/>
/// removes an existing lock first (the operator's explicit <c>--break-lock</c>). The EXIT trap gives back a lock this
/// script took unless <see cref="HoldLock"/> ran at the end of the phase.
/// </summary>
public sealed record AcquireLock(ReleaseLayout Layout, LockHolder Holder, int WaitSeconds, bool BreakStale)
    : IRemoteStep
{
    public const int HeldExitCode = 75;
    public string Name => "lock";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => ["lock", "lock_taken", "lock_held"];

    public void Render(ScriptWriter script)
    {
        script.Set("lock", Layout.Lock);
        if (BreakStale)
            script.Include("lock-break.sh");
        script
            .Set("base_path", Layout.BasePath)
            .Set("releases_dir", Layout.Releases)
            .Set("shared_dir", Layout.Shared)
            .Set("uploads_dir", Layout.Uploads)
            .Set("lock_wait_seconds", WaitSeconds)
            .Set("lock_held_exit_code", HeldExitCode)
            .Set("lock_who", Holder.Who)
            .Set("lock_commit", Holder.Commit)
            .Set(
                "lock_since",
                Holder.Since.UtcDateTime.ToString(
                    "yyyy-MM-ddTHH:mm:ssZ",
                    System.Globalization.CultureInfo.InvariantCulture
                )
            )
            .Set("lock_token", Holder.Token)
            .Include("lock.sh");
    }
}
