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
            $"write_upstream \"# Written by DeployVps: release {ReleaseName}"+ "\n" + $"upstream {Settings.AppName} {{ server 127.0.0.1:$port; }}\"",
            $"if ! reload_out=$( {{ {Settings.NginxReloadCommand} ; }} 2>&1 ); then",
            "  write_upstream \"$upstream_saved\"",
            $"  {{ {Settings.NginxReloadCommand} ; }} >/dev/null 2>&1 || true",
            // The healthy candidate will not get traffic now: stop it (the old color keeps serving).
            $"  pm2 delete {Shell.Quote(Settings.AppName + "-")}\"$color\" >/dev/null 2>&1 || true",
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
public sealed record RetireOldColor(DeploySettings Settings) : IRemoteStep
{
    public string Name => "retire";

    public void Render(ScriptWriter script) => script.Lines(
        "if [ -n \"${old_color:-}\" ] && [ \"$old_color\" != \"$color\" ]; then",
        $"  sleep {Settings.DrainSeconds}",
        $"  pm2 delete {Shell.Quote(Settings.AppName + "-")}\"$old_color\" >/dev/null 2>&1 || true",
        $"  echo \"stopped {Settings.AppName}-$old_color\"",
        "fi",
        "pm2 save --force >/dev/null 2>&1 || pm2 save >/dev/null 2>&1 || true");
}

/// <summary>Keeps the newest <see cref="Keep"/> releases and deletes older ones, never the live or the previous one.</summary>
public sealed record PruneReleases(ReleaseLayout Layout, int Keep, string Live, string? Previous) : IRemoteStep
{
    public string Name => "prune";

    public void Render(ScriptWriter script) => script.Lines(
        $"for old in $(ls -1 {Shell.Quote(Layout.Releases)} | grep -E '{ReleaseLayout.ReleaseNamePattern}' | sort -r | tail -n +{Keep + 1} || true); do",
        $"  case \"$old\" in {Shell.Quote(Live)}|{Shell.Quote(Previous ?? Live)}) continue ;; esac",
        $"  rm -rf {Shell.Quote(Layout.Releases)}/\"$old\"",
        "  echo \"removed old release $old\"",
        "done");
}
