using System.Text.Json;

namespace Build.Deploy.Steps;

/// <summary>
/// The PM2 ecosystem file of one app. Blue/green: <c>cwd</c> and <c>script</c> are the release's own folder, so the
/// process a color runs is tied to exactly one release, and a new release is always a fresh <c>pm2 start</c> of the
/// idle color, never a reload of a process whose files changed. Reload strategy: both go through <c>current/</c>,
/// spelled as the symlink (not the resolved path), so every <c>pm2 reload</c> starts workers that resolve
/// <c>current</c> again and run the new release.
/// </summary>
public sealed record Pm2Ecosystem(string AppName, string WorkingDirectory, string Entry, int Port, DeploySettings Settings, string SharedEnvFile)
{
    public string Render()
    {
        string Js(string s) => JsonSerializer.Serialize(s);
        var cwd = Js(WorkingDirectory);
        return string.Join('\n',
            $"// Written by DeployVps. Start with: pm2 start <this file>",
            "const fs = require('fs');",
            "const path = require('path');",
            "// KEY=value lines of the shared .env (PM2 passes them to every worker).",
            "function readEnv(file) {",
            "  const env = {};",
            "  let text = '';",
            "  try { text = fs.readFileSync(file, 'utf8'); } catch { return env; }",
            "  for (const line of text.split(/\\r?\\n/)) {",
            "    const m = /^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*?)\\s*$/.exec(line);",
            "    if (!m) continue;",
            "    let value = m[2];",
            "    if (/^(['\"]).*\\1$/.test(value)) value = value.slice(1, -1);",
            "    env[m[1]] = value;",
            "  }",
            "  return env;",
            "}",
            $"const cwd = {cwd};",
            "let commit = '';",
            "try { commit = JSON.parse(fs.readFileSync(path.join(cwd, 'manifest.json'), 'utf8')).commit || ''; } catch {}",
            "module.exports = {",
            "  apps: [{",
            $"    name: {Js(AppName)},",
            "    cwd,",
            $"    script: path.join(cwd, {Js(Entry)}),",
            "    exec_mode: 'cluster',",
            $"    instances: {Settings.Instances},",
            $"    wait_ready: {(Settings.WaitReady ? "true" : "false")},",
            $"    listen_timeout: {Settings.ListenTimeoutSeconds * 1000},",
            "    kill_timeout: 5000,",
            "    max_restarts: 10,",
            $"    env: Object.assign(readEnv({Js(SharedEnvFile)}), {{",
            "      NODE_ENV: 'production',",
            $"      PORT: '{Port}',",
            "      HOSTNAME: '127.0.0.1',",
            "      RELEASE_COMMIT: commit,",
            "    }),",
            "  }],",
            "};",
            "");
    }

    /// <summary>Bash that writes the file (a quoted heredoc: nothing in it is expanded).</summary>
    public void RenderWrite(ScriptWriter script, string path)
    {
        script.Line($"cat > {Shell.Quote(path)} <<'ECOSYSTEM_EOF'");
        script.Line(Render().TrimEnd('\n'));
        script.Line("ECOSYSTEM_EOF");
    }
}

/// <summary>
/// Defines <c>health_check &lt;port&gt; &lt;expected commit&gt; [seconds]</c>: polls 127.0.0.1:port + health path ON THE HOST until
/// it answers HTTP 200 with <c>"status":"ok"</c> and the expected commit (the full SHA or an abbreviation of it of at
/// least 7 digits), or the deadline passes. PM2 saying "online" proves nothing; an old process answering with
/// its own commit does not pass either. Sets <c>health_last</c> to the last answer.
/// </summary>
public sealed record HealthProbe(string HealthPath, int TimeoutSeconds) : IRemoteStep
{
    public string Name => "health-probe";

    public void Render(ScriptWriter script) => script.Lines(
        "health_check() {",
        "  local url=\"http://127.0.0.1:$1\"" + Shell.Quote(HealthPath) + " expected=\"$2\" response code body reported",
        $"  local deadline=$(( SECONDS + ${{3:-{TimeoutSeconds}}} ))",
        "  health_last='no answer'",
        "  while :; do",
        "    response=$(curl -sS --max-time 3 -w '\\n%{http_code}' \"$url\" 2>&1) || true",
        "    code=${response##*$'\\n'}",
        "    body=${response%$'\\n'*}",
        // Here-strings, not pipes: a reader that stops early (grep -q) must not fail the pipeline under pipefail.
        $"    reported=$(sed -n {Shell.Quote(RemoteScript.CommitSed)} <<< \"$body\")",
        "    if [ \"$code\" = 200 ] && grep -Eq '\"status\"[[:space:]]*:[[:space:]]*\"ok\"' <<< \"$body\" \\",
        "       && [ ${#reported} -ge 7 ] && [[ \"$expected\" == \"$reported\"* ]]; then",
        "      echo \"healthy: $url answered HTTP 200, status ok, commit $reported\"",
        "      return 0",
        "    fi",
        "    health_last=\"$url answered HTTP $code: ${body:0:300}\"",
        "    if (( SECONDS >= deadline )); then return 1; fi",
        "    sleep 0.5",
        "  done",
        "}");
}

/// <summary>Shared bash for marking a release as failed: a marker with the reason, and a line in revisions.log.</summary>
internal static class FailedRelease
{
    public static void RenderFunction(ScriptWriter script, ReleaseLayout layout, string who) => script.Lines(
        "mark_failed() {",
        $"  printf '%s\\n' \"$2\" > {Shell.Quote(layout.Releases)}/\"$1\"/{ReleaseLayout.FailedMarker} || true",
        $"  printf '%s failed %s %s %s\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" \"$1\" \"$(manifest_commit {Shell.Quote(layout.Releases)}/\"$1\")\" {Shell.Quote(who)} >> {Shell.Quote(layout.RevisionsLog)}",
        "}");
}

/// <summary>
/// Blue/green: starts <see cref="ReleaseName"/> as the idle color's PM2 app on that color's port and health-checks it
/// there. Nothing routes to it yet. On failure the candidate is deleted from PM2, the release is marked failed and
/// kept for inspection, and the script fails. Expected commit: <see cref="ExpectedCommit"/>, or the release's manifest.
/// Prints <c>::out color/port/old_color</c>.
/// </summary>
/// <remarks>With <see cref="ReuseRunning"/> (a rollback), an idle color that still runs the release and answers
/// healthy at once is kept as it is: after a failed verification the old color never stopped, so switching back
/// takes a second.</remarks>
public sealed record StartCandidate(ReleaseLayout Layout, DeploySettings Settings, string ReleaseName, string? ExpectedCommit, string Who,
    bool ReuseRunning = false) : IRemoteStep
{
    public string Name => "start";

    public static string ProcessName(string app, string color) => $"{app}-{color}";

    public void Render(ScriptWriter script)
    {
        var release = Layout.Release(ReleaseName);
        new HealthProbe(Settings.HealthPath, Settings.HealthTimeoutSeconds).Render(script);
        FailedRelease.RenderFunction(script, Layout, Who);
        script.Lines(
            $"release={Shell.Quote(release)}",
            "[ -d \"$release\" ] || fail \"release $release does not exist\"",
            ExpectedCommit is null ? "expected_commit=$(manifest_commit \"$release\")" : $"expected_commit={Shell.Quote(ExpectedCommit)}",
            "port_in_use() { (exec 3<>\"/dev/tcp/127.0.0.1/$1\") 2>/dev/null; }",
            $"live_color=$(cat {Shell.Quote(Layout.LiveColorFile)} 2>/dev/null || true)",
            "case \"$live_color\" in",
            $"  blue) color=green; port={Settings.GreenPort} ;;",
            $"  green) color=blue; port={Settings.BluePort} ;;",
            // No color is live yet (first deploy, or a process started by hand on blue's port): take a free port.
            $"  *) live_color=''; color=blue; port={Settings.BluePort}; if port_in_use {Settings.BluePort}; then color=green; port={Settings.GreenPort}; fi ;;",
            "esac",
            "out color \"$color\"",
            "out port \"$port\"",
            "out old_color \"$live_color\"",
            "old_color=\"$live_color\"",
            $"name={Shell.Quote(Settings.AppName + "-")}\"$color\"");
        // One ecosystem file per color in the release folder: a later rollback may start this release as either color.
        foreach (var (color, port) in new[] { ("blue", Settings.BluePort), ("green", Settings.GreenPort) })
            new Pm2Ecosystem(ProcessName(Settings.AppName, color), release, Settings.Entry, port, Settings, $"{Layout.Shared}/.env")
                .RenderWrite(script, $"{release}/ecosystem.{color}.config.js");
        string[] startFresh = [
            "echo \"starting $release as $name on port $port\"",
            "pm2 delete \"$name\" >/dev/null 2>&1 || true",
            "if ! pm2_out=$(pm2 start \"$release/ecosystem.$color.config.js\" 2>&1); then",
            "  printf '%s\\n' \"$pm2_out\" | tail -n 20",
            $"  pm2 delete \"$name\" >/dev/null 2>&1 || true",
            $"  mark_failed {Shell.Quote(ReleaseName)} \"pm2 start failed\"",
            "  fail \"pm2 start of $name failed (see the output above)\"",
            "fi",
            "if ! health_check \"$port\" \"$expected_commit\"; then",
            "  pm2 logs \"$name\" --nostream --lines 15 2>&1 | tail -n 30 || true",
            "  pm2 delete \"$name\" >/dev/null 2>&1 || true",
            $"  mark_failed {Shell.Quote(ReleaseName)} \"health check: $health_last\"",
            $"  fail \"release {ReleaseName} failed its health check on port $port within {Settings.HealthTimeoutSeconds} s: $health_last\"",
            "fi"];
        if (!ReuseRunning)
        {
            script.Lines(startFresh);
            return;
        }
        script.Lines(
            // The health answer on that color's port with this release's commit is the proof (no PM2 call: a rollback
            // to a warm release is a switch).
            "if [ -n \"$old_color\" ] && health_check \"$port\" \"$expected_commit\" 1; then",
            "  echo \"$name still runs this release on port $port: switching back to it\"",
            "else");
        script.Lines(startFresh.Select(l => "  " + l).ToArray());
        script.Line("fi");
    }
}

/// <summary>
/// Reload strategy: points <c>current</c> at the release, <c>pm2 startOrReload</c>s the one cluster app (whose paths
/// go through <c>current</c>), and health-checks it on its port. On failure: <c>current</c> goes back to
/// <see cref="PreviousRelease"/> and PM2 reloads again, the release is marked failed and kept.
/// </summary>
public sealed record ReloadInPlace(ReleaseLayout Layout, DeploySettings Settings, string ReleaseName, string? PreviousRelease, string? ExpectedCommit, string Who) : IRemoteStep
{
    public string Name => "reload";

    public void Render(ScriptWriter script)
    {
        var release = Layout.Release(ReleaseName);
        var ecosystem = $"{release}/ecosystem.config.js";
        var port = Settings.Ports[0];
        new HealthProbe(Settings.HealthPath, Settings.HealthTimeoutSeconds).Render(script);
        FailedRelease.RenderFunction(script, Layout, Who);
        new Pm2Ecosystem(Settings.AppName, Layout.Current, Settings.Entry, port, Settings, $"{Layout.Shared}/.env").RenderWrite(script, ecosystem);
        script.Lines(
            $"release={Shell.Quote(release)}",
            ExpectedCommit is null ? "expected_commit=$(manifest_commit \"$release\")" : $"expected_commit={Shell.Quote(ExpectedCommit)}",
            "point_current() {",
            $"  ln -sfn \"$1\" {Shell.Quote(Layout.BasePath + "/.current.tmp")} && mv -T {Shell.Quote(Layout.BasePath + "/.current.tmp")} {Shell.Quote(Layout.Current)}",
            "}",
            "point_current \"$release\"",
            $"out port {port}",
            $"if pm2_out=$(pm2 startOrReload {Shell.Quote(ecosystem)} --update-env 2>&1) && health_check {port} \"$expected_commit\"; then",
            $"  touch \"$release\"/{ReleaseLayout.WentLiveMarker}",
            "  pm2_save",
            "else",
            "  reason=\"${health_last:-pm2 startOrReload failed: $pm2_out}\"",
            $"  mark_failed {Shell.Quote(ReleaseName)} \"$reason\"");
        if (PreviousRelease is not null)
            script.Lines(
                $"  point_current {Shell.Quote(Layout.Release(PreviousRelease))}",
                $"  pm2 startOrReload {Shell.Quote(ecosystem)} --update-env >/dev/null 2>&1 || true",
                $"  echo 'current points back to {PreviousRelease}'");
        script.Lines(
            $"  fail \"release {ReleaseName} failed its health check on port {port}: $reason\"",
            "fi");
    }
}
