namespace Build.Deploy.Steps;

/// <summary>Who holds a deploy lock: written into the lock's info file, shown to whoever waits for it.</summary>
public sealed record LockHolder(string Who, string Commit, DateTimeOffset Since, string Token)
{
    public static LockHolder Create(string who, string commit, DateTimeOffset now) =>
        new(who, commit, now, Guid.NewGuid().ToString("N"));
}

/// <summary>
/// Takes the host's deploy lock: <c>mkdir</c> is atomic, so of two deploys exactly one creates the folder. The other
/// polls until <see cref="WaitSeconds"/> passes, then fails naming the holder. <see cref="BreakStale"/> removes an
/// existing lock first (the operator's explicit <c>--break-lock</c>).
/// A deploy whose client vanished while it waited (a cancelled CI job: the connection closes, no signal reaches the
/// script) must not take the lock later and keep it: the wait writes a liveness line every 2 s, a write to a closed
/// connection raises SIGPIPE, whose trap exits (a trapped exit, unlike death by the signal, runs the EXIT trap), and
/// the EXIT trap removes a lock this script took unless <see cref="HoldLock"/> ran at the end of the phase.
/// </summary>
public sealed record AcquireLock(ReleaseLayout Layout, LockHolder Holder, int WaitSeconds, bool BreakStale) : IRemoteStep
{
    public const int HeldExitCode = 75;
    public string Name => "lock";

    public void Render(ScriptWriter script)
    {
        var l = Layout;
        script.Lines(
            $"mkdir -p {Shell.Quote(l.BasePath)} {Shell.Quote(l.Releases)} {Shell.Quote(l.Shared)} {Shell.Quote(l.Uploads)}",
            $"lock={Shell.Quote(l.Lock)}");
        if (BreakStale)
            script.Lines(
                "if [ -d \"$lock\" ]; then",
                "  echo \"breaking the deploy lock held by: $(tr '\\n' ' ' < \"$lock/info\" 2>/dev/null)\"",
                "  rm -rf \"$lock\"",
                "fi");
        script.Lines(
            "trap 'exit 141' PIPE",
            "lock_taken=''",
            "lock_held=''",
            "trap 'if [ -n \"$lock_taken\" ] && [ -z \"$lock_held\" ]; then rm -rf \"$lock\"; fi' EXIT",
            "trap 'exit 143' TERM HUP INT",
            $"lock_deadline=$(( SECONDS + {WaitSeconds} ))",
            "lock_waiting=''",
            "lock_freed=''",
            "until mkdir \"$lock\" 2>/dev/null; do",
            // No lock there, and still mkdir failed: not another deploy but the file system (full). Nothing runs
            // without the lock, so what interrupted runs left (uploads, half-unpacked releases) is garbage: free it once.
            "  if [ ! -e \"$lock\" ]; then",
            "    if [ -z \"$lock_freed\" ]; then",
            $"      lock_freed=1; rm -rf {Shell.Quote(l.Releases)}/.tmp-* {Shell.Quote(l.Uploads)}/*; continue",
            "    fi",
            "    fail \"cannot create the deploy lock $lock on $(hostname): $(mkdir \"$lock\" 2>&1 | sed 's/^mkdir: //') ($(df -Pk \"$(dirname \"$lock\")\" | awk 'NR==2 { printf \"%d MB free\", $4/1024 }'))\"",
            "  fi",
            "  holder=$(tr '\\n' ' ' < \"$lock/info\" 2>/dev/null || true)",
            "  if (( SECONDS >= lock_deadline )); then",
            $"    printf '{Shell.ErrorMarker}deploy lock %s is held by: %s(use --break-lock if that deploy is dead)\\n' \"$lock\" \"$holder\" >&2",
            $"    exit {HeldExitCode}",
            "  fi",
            "  if [ -z \"$lock_waiting\" ]; then echo \"waiting for the deploy lock held by: $holder\"; lock_waiting=1; fi",
            $"  if (( SECONDS % 2 == 0 )); then printf '{Shell.AliveMarker}\\n'; fi",
            "  sleep 1",
            "done",
            "lock_taken=1",
            // Ours now: what an interrupted run left (uploads, half-unpacked releases) is garbage, and goes before the
            // lock's own info file needs a block of a disk those leftovers may have filled.
            $"rm -rf {Shell.Quote(l.Releases)}/.tmp-* {Shell.Quote(l.Uploads)}/*",
            // Written to a temp file and renamed, so a waiting deploy never reads half of it.
            "printf '%s\\n' " + string.Join(" ", new[]
            {
                $"who={Holder.Who}", $"commit={Holder.Commit}", $"since={Holder.Since.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}", $"token={Holder.Token}",
            }.Select(Shell.Quote)) + " > \"$lock/info.tmp\" 2>/dev/null \\",
            "  || fail \"cannot write the deploy lock's info $lock/info on $(hostname): $(df -Pk \"$lock\" | awk 'NR==2 { printf \"%d MB free\", $4/1024 }')\"",
            "mv -f \"$lock/info.tmp\" \"$lock/info\"");
    }
}

/// <summary>Last step of a phase that took the lock: from here on the lock outlives the script (until
/// <see cref="ReleaseLock"/>). Its marker line is the script's last write, so a vanished client is noticed first.</summary>
public sealed record HoldLock : IRemoteStep
{
    public string Name => "hold";

    public void Render(ScriptWriter script) => script.Line("lock_held=1");
}

/// <summary>
/// First step of a phase that runs under a lock taken earlier: if the script fails, or its client vanishes (the next
/// write raises SIGPIPE), the lock is released on the host before the script ends, so a deploy that died with its CI
/// job does not leave it behind. Same token check as <see cref="ReleaseLock"/>.
/// </summary>
public sealed record ReleaseLockOnFailure(ReleaseLayout Layout, string Token) : IRemoteStep
{
    public string Name => "guard";

    public void Render(ScriptWriter script) => script.Lines(
        $"release_own_lock() {{ if grep -qx {Shell.Quote("token=" + Token)} {Shell.Quote(Layout.LockInfo)} 2>/dev/null; then rm -rf {Shell.Quote(Layout.Lock)}; fi; }}",
        // Steps add what a failed run must not leave behind (a partial upload, a half-unpacked folder: on a full disk
        // they would make every later deploy fail).
        "cleanup_paths=()",
        "remove_leftovers() { if (( ${#cleanup_paths[@]} )); then rm -rf -- \"${cleanup_paths[@]}\" 2>/dev/null || true; fi; }",
        "trap 'exit 141' PIPE",
        "trap 'exit 143' TERM HUP INT",
        "trap 'status=$?; if [ \"$status\" -ne 0 ]; then remove_leftovers; release_own_lock; fi' EXIT");
}

/// <summary>Releases the lock only when it is still ours (the token matches): never someone else's.</summary>
public sealed record ReleaseLock(ReleaseLayout Layout, string Token) : IRemoteStep
{
    public string Name => "unlock";

    /// <summary>Paths this run made that must go when it ends early (its upload, its unpack folder).</summary>
    public IReadOnlyList<string> Leftovers { get; init; } = [];

    public void Render(ScriptWriter script)
    {
        if (Leftovers.Count > 0)
            script.Line($"if grep -qx {Shell.Quote("token=" + Token)} {Shell.Quote(Layout.LockInfo)} 2>/dev/null; then rm -rf -- {string.Join(" ", Leftovers.Select(Shell.Quote))}; fi");
        script.Line($"if grep -qx {Shell.Quote("token=" + Token)} {Shell.Quote(Layout.LockInfo)} 2>/dev/null; then rm -rf {Shell.Quote(Layout.Lock)}; fi");
    }
}

/// <summary>
/// Under the lock, before the upload: fails (naming the host, what is free and what is needed) unless the base path's
/// file system has room for the artifact, its unpacked release and a margin.
/// </summary>
public sealed record CheckFreeSpace(ReleaseLayout Layout, long ArtifactBytes, long UnpackedBytes) : IRemoteStep
{
    public const long MarginBytes = 4L << 20;
    public string Name => "space";

    public long NeededBytes => ArtifactBytes + UnpackedBytes + MarginBytes;

    public void Render(ScriptWriter script) => script.Lines(
        $"free_kb=$(df -Pk {Shell.Quote(Layout.BasePath)} | awk 'NR==2 {{ print $4 }}')",
        $"needed_kb={(NeededBytes + 1023) / 1024}",
        "if [ -n \"$free_kb\" ] && (( free_kb < needed_kb )); then",
        $"  fail \"not enough free space on $(hostname) in {Layout.BasePath}: $(( free_kb / 1024 )) MB free, $(( needed_kb / 1024 )) MB needed " +
        $"(artifact {ArtifactBytes / 1048576.0:0.0} MB + unpacked {UnpackedBytes / 1048576.0:0.0} MB + {MarginBytes >> 20} MB margin)\"",
        "fi");
}

/// <summary>Under the lock: whatever an interrupted deploy left (partial uploads, half-unpacked folders) is garbage.</summary>
public sealed record CleanInterrupted(ReleaseLayout Layout) : IRemoteStep
{
    public string Name => "clean";

    public void Render(ScriptWriter script) => script.Lines(
        $"rm -rf {Shell.Quote(Layout.Releases)}/.tmp-* {Shell.Quote(Layout.Uploads)}/*");
}

/// <summary>Reports the host's release state as <c>::out</c> lines: current, live color, releases (oldest first), the
/// failed ones and the ones that ever took traffic.</summary>
public sealed record ReadState(ReleaseLayout Layout) : IRemoteStep
{
    public string Name => "state";

    public void Render(ScriptWriter script) => script.Lines(
        $"if [ -L {Shell.Quote(Layout.Current)} ]; then out current \"$(basename \"$(readlink {Shell.Quote(Layout.Current)})\")\"; else out current ''; fi",
        $"out live_color \"$(cat {Shell.Quote(Layout.LiveColorFile)} 2>/dev/null || true)\"",
        $"releases=$(ls -1 {Shell.Quote(Layout.Releases)} | grep -E '{ReleaseLayout.ReleaseNamePattern}' | sort || true)",
        "out releases \"$(echo $releases)\"",
        "failed=''",
        "went_live=''",
        "for r in $releases; do",
        $"  if [ -e {Shell.Quote(Layout.Releases)}/\"$r\"/{ReleaseLayout.FailedMarker} ]; then failed=\"$failed $r\"; fi",
        $"  if [ -e {Shell.Quote(Layout.Releases)}/\"$r\"/{ReleaseLayout.WentLiveMarker} ]; then went_live=\"$went_live $r\"; fi",
        "done",
        "out failed \"$(echo $failed)\"",
        "out went_live \"$(echo $went_live)\"");
}
