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
            $"lock_deadline=$(( SECONDS + {WaitSeconds} ))",
            "lock_waiting=''",
            "until mkdir \"$lock\" 2>/dev/null; do",
            "  holder=$(tr '\\n' ' ' < \"$lock/info\" 2>/dev/null || true)",
            "  if (( SECONDS >= lock_deadline )); then",
            $"    printf '{Shell.ErrorMarker}deploy lock %s is held by: %s(use --break-lock if that deploy is dead)\\n' \"$lock\" \"$holder\" >&2",
            $"    exit {HeldExitCode}",
            "  fi",
            "  if [ -z \"$lock_waiting\" ]; then echo \"waiting for the deploy lock held by: $holder\"; lock_waiting=1; fi",
            "  sleep 1",
            "done",
            // Written to a temp file and renamed, so a waiting deploy never reads half of it.
            "printf '%s\\n' " + string.Join(" ", new[]
            {
                $"who={Holder.Who}", $"commit={Holder.Commit}", $"since={Holder.Since.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}", $"token={Holder.Token}",
            }.Select(Shell.Quote)) + " > \"$lock/info.tmp\"",
            "mv -f \"$lock/info.tmp\" \"$lock/info\"");
    }
}

/// <summary>Releases the lock only when it is still ours (the token matches): never someone else's.</summary>
public sealed record ReleaseLock(ReleaseLayout Layout, string Token) : IRemoteStep
{
    public string Name => "unlock";

    public void Render(ScriptWriter script) => script.Lines(
        $"if grep -qx {Shell.Quote("token=" + Token)} {Shell.Quote(Layout.LockInfo)} 2>/dev/null; then rm -rf {Shell.Quote(Layout.Lock)}; fi");
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
