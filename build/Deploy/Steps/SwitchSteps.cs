namespace Build.Deploy.Steps;

/// <summary>
/// Blue/green: rewrites the Nginx upstream include to the healthy candidate's port and runs the reload command. If the
/// reload fails, the previous include is put back (and reloaded) and the script fails before <c>current</c> moves.
/// The candidate's port and color come from the script variables <c>$port</c> and <c>$color</c> (<see cref="SetVariables"/>).
/// </summary>
public sealed record SwitchNginx(ReleaseLayout Layout, DeploySettings Settings, string ReleaseName) : IRemoteStep
{
    public string Name => "nginx";

    public static string UpstreamBlock(string app, int port) => $"upstream {app} {{ server 127.0.0.1:{port}; }}";

    public void Render(ScriptWriter script)
    {
        // The healthy candidate will not get traffic when the switch fails: stop it (the old color keeps serving).
        var stopCandidate = $"pm2 delete {Shell.Quote(Settings.AppName + "-")}\"$color\" >/dev/null 2>&1 || true";
        if (Settings.NginxSwitchCommand is { Length: > 0 } helper)
        {
            // Least privilege: a root-owned helper (build/Deploy/nginx-switch.sh, allowed by one sudoers line) writes
            // the include from its template for one of its configured ports, runs nginx -t and reloads, or puts it back.
            script.Lines(
                $"if ! switch_out=$( {{ {helper} {Shell.Quote(Settings.AppName)} \"$port\" ; }} 2>&1 ); then",
                $"  {stopCandidate}",
                $"  fail \"nginx switch failed (candidate stopped, traffic unchanged): {helper} {Settings.AppName} $port: $switch_out\"",
                "fi",
                "echo \"$switch_out\"");
            return;
        }
        if (Settings.NginxUpstreamFile is not { } file)
        {
            script.Line("echo 'no nginxUpstreamFile configured: traffic is not switched by Nginx'");
            return;
        }
        script.Lines(
            $"upstream_file={Shell.Quote(file)}",
            "upstream_saved=$(cat \"$upstream_file\" 2>/dev/null || true)",
            "write_upstream() {",
            // Atomic rename when the folder is writable; otherwise rewrite in place (a deploy user often owns only
            // the file in /etc/nginx/conf.d). The temp name does not end in .conf, so conf.d/*.conf never includes it.
            "  if [ -w \"$(dirname \"$upstream_file\")\" ]; then",
            "    printf '%s\\n' \"$1\" > \"$upstream_file.deploy-tmp\" && mv -f \"$upstream_file.deploy-tmp\" \"$upstream_file\"",
            "  else",
            "    printf '%s\\n' \"$1\" > \"$upstream_file\"",
            "  fi",
            "}",
            $"if ! write_out=$(write_upstream \"# Written by DeployVps: release {ReleaseName}" + "\n" + $"upstream {Settings.AppName} {{ server 127.0.0.1:$port; }}\" 2>&1); then",
            $"  {stopCandidate}",
            "  fail \"cannot write the nginx upstream $upstream_file (candidate stopped, traffic unchanged): $write_out\"",
            "fi",
            $"if ! reload_out=$( {{ {Settings.NginxReloadCommand} ; }} 2>&1 ); then",
            "  write_upstream \"$upstream_saved\" || true",
            $"  {{ {Settings.NginxReloadCommand} ; }} >/dev/null 2>&1 || true",
            $"  {stopCandidate}",
            "  fail \"nginx reload failed (upstream restored, candidate stopped): $reload_out\"",
            "fi",
            "echo \"nginx upstream " + Settings.AppName + " -> 127.0.0.1:$port\"");
    }
}

/// <summary>Points <c>current</c> at the release atomically: a new symlink under a temp name renamed over the old one.
/// Records the live color (script variable <c>$color</c>, when set) and that the release took traffic.</summary>
public sealed record SwitchCurrent(ReleaseLayout Layout, string ReleaseName) : IRemoteStep
{
    public string Name => "current";

    public void Render(ScriptWriter script)
    {
        var temp = Layout.BasePath + "/.current.tmp";
        script.Lines(
            $"ln -sfn {Shell.Quote(Layout.Release(ReleaseName))} {Shell.Quote(temp)}",
            $"mv -T {Shell.Quote(temp)} {Shell.Quote(Layout.Current)}",
            $"touch {Shell.Quote(Layout.Release(ReleaseName) + "/" + ReleaseLayout.WentLiveMarker)}");
        script.Line($"if [ -n \"${{color:-}}\" ]; then printf '%s\\n' \"$color\" > {Shell.Quote(Layout.LiveColorFile + ".tmp")} && mv -f {Shell.Quote(Layout.LiveColorFile + ".tmp")} {Shell.Quote(Layout.LiveColorFile)}; fi");
        script.Line($"echo 'current -> {ReleaseName}'");
    }
}

/// <summary>One line per event in revisions.log: time, event (deploy/rollback/failed), release, commit, who.</summary>
public sealed record RecordRevision(ReleaseLayout Layout, string Event, string ReleaseName, string Who) : IRemoteStep
{
    public string Name => "revision";

    public void Render(ScriptWriter script) => script.Line(
        $"printf '%s %s %s %s %s\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" {Shell.Quote(Event)} {Shell.Quote(ReleaseName)} \"$(manifest_commit {Shell.Quote(Layout.Release(ReleaseName))})\" {Shell.Quote(Who)} >> {Shell.Quote(Layout.RevisionsLog)}");
}

/// <summary>Blue/green: after a drain pause, deletes the old color's PM2 app (script variable <c>$old_color</c>), then
/// <c>pm2 save</c> so that a reboot resurrects the live color only.</summary>
/// <param name="Drain">Wait for requests in flight first (not needed when the old color took no traffic for a while).</param>
public sealed record RetireOldColor(DeploySettings Settings, bool Drain = true) : IRemoteStep
{
    public string Name => "retire";

    public void Render(ScriptWriter script) => script.Lines(
        Settings.KeepPreviousWarm
            ? $"if [ -n \"${{old_color:-}}\" ] && [ \"$old_color\" != \"$color\" ]; then echo \"kept {Settings.AppName}-$old_color running, without traffic: a rollback to it is a switch\"; fi"
            : "",
        Settings.KeepPreviousWarm ? "if false; then" : "if [ -n \"${old_color:-}\" ] && [ \"$old_color\" != \"$color\" ]; then",
        Drain ? $"  sleep {Settings.DrainSeconds}" : "  :",
        $"  pm2 delete {Shell.Quote(Settings.AppName + "-")}\"$old_color\" >/dev/null 2>&1 || true",
        $"  echo \"stopped {Settings.AppName}-$old_color\"",
        "fi",
        "pm2_save");
}

/// <summary>
/// Keeps the newest <see cref="Keep"/> releases that served traffic and did not fail (failed ones do not count, so
/// they never push a good rollback target out), the live and the previous one, and the newest failed one for
/// inspection; deletes the rest.
/// </summary>
public sealed record PruneReleases(ReleaseLayout Layout, int Keep, string Live, string? Previous) : IRemoteStep
{
    public string Name => "prune";

    public void Render(ScriptWriter script) => script.Lines(
        $"releases_dir={Shell.Quote(Layout.Releases)}",
        "served=0",
        "failed_kept=''",
        $"for old in $(ls -1 \"$releases_dir\" | grep -E '{ReleaseLayout.ReleaseNamePattern}' | sort -r || true); do",
        $"  case \"$old\" in {Shell.Quote(Live)}|{Shell.Quote(Previous ?? Live)}) served=$(( served + 1 )); continue ;; esac",
        $"  if [ -e \"$releases_dir/$old/{ReleaseLayout.FailedMarker}\" ]; then",
        "    if [ -z \"$failed_kept\" ]; then failed_kept=$old; continue; fi",
        $"  elif [ -e \"$releases_dir/$old/{ReleaseLayout.WentLiveMarker}\" ] && (( served < {Keep} )); then",
        "    served=$(( served + 1 ))",
        "    continue",
        "  fi",
        "  rm -rf \"${releases_dir:?}/$old\"",
        "  echo \"removed old release $old\"",
        "done");
}

/// <summary>Marks a release failed (a check failed after it went live, e.g. VerifyDeploy): it is never again a
/// default rollback target, and <c>--to=</c> refuses it.</summary>
public sealed record MarkFailed(ReleaseLayout Layout, string ReleaseName, string Reason, string Who) : IRemoteStep
{
    public string Name => "mark-failed";

    public void Render(ScriptWriter script)
    {
        FailedRelease.RenderFunction(script, Layout, Who);
        script.Lines(
            $"if [ -d {Shell.Quote(Layout.Release(ReleaseName))} ]; then",
            $"  mark_failed {Shell.Quote(ReleaseName)} {Shell.Quote(Reason)}",
            $"  echo {Shell.Quote($"marked {ReleaseName} failed: {Reason}")}",
            "fi");
    }
}

/// <summary>Sets <c>$color</c> to the live color and <c>$old_color</c> to the other one, for
/// <see cref="RetireOldColor"/> in a phase of its own (after verification).</summary>
public sealed record ReadColors(ReleaseLayout Layout) : IRemoteStep
{
    public string Name => "colors";

    public void Render(ScriptWriter script) => script.Lines(
        $"color=$(cat {Shell.Quote(Layout.LiveColorFile)} 2>/dev/null || true)",
        "case \"$color\" in blue) old_color=green ;; green) old_color=blue ;; *) old_color='' ;; esac");
}

/// <summary><c>pm2 save</c> (owner-only dump): a reboot resurrects what runs now.</summary>
public sealed record SavePm2 : IRemoteStep
{
    public string Name => "pm2-save";

    public void Render(ScriptWriter script) => script.Line("pm2_save");
}
