namespace Build.Deploy.Steps;

/// <summary>
/// One step of a remote phase: it only renders bash. Several steps are rendered into one script so that a phase
/// costs one SSH round trip; each step announces itself with <c>::step name</c> so that a failure names it.
/// </summary>
public interface IRemoteStep
{
    string Name { get; }
    void Render(ScriptWriter script);
}

/// <summary>Renders steps into one script with the shared prelude.</summary>
public static class RemoteScript
{
    public static string Render(DeploySettings settings, params IRemoteStep[] steps) => Render(settings, (IEnumerable<IRemoteStep>)steps);

    public static string Render(DeploySettings settings, IEnumerable<IRemoteStep> steps)
    {
        var script = new ScriptWriter();
        script.Lines(
            // The script arrives on stdin (bash -s). In one { } block bash parses all of it before running any of it,
            // and with stdin on /dev/null no command (sudo, pm2, ...) can swallow the rest of the script as input.
            "{",
            "exec </dev/null",
            "set -euo pipefail",
            "umask 022",
            $"step() {{ printf '{Shell.StepMarker}%s\\n' \"$1\"; }}",
            $"out() {{ printf '{Shell.OutputMarker}%s=%s\\n' \"$1\" \"$2\"; }}",
            $"fail() {{ printf '{Shell.ErrorMarker}%s\\n' \"$*\" >&2; exit 1; }}",
            // The first "commit": "<sha>" in a release's manifest.json (sed quits there: no pipe to head).
            $"manifest_commit() {{ sed -n {Shell.Quote(CommitSed)} \"$1/manifest.json\"; }}",
            // PM2 gets no environment but what it needs to run: its CLI hands its own environment to every app it
            // starts, and its daemon (started by the first CLI call) to every cluster worker, and `pm2 save` writes
            // both into dump.pm2. Whatever the deploying shell holds (other environments' secrets) stays out.
            $"pm2_home={(settings.Pm2Home is { Length: > 0 } home ? Shell.Quote(home) : "\"${HOME:-/root}/.pm2\"")}",
            $"pm2() {{ env -i PATH=\"$PATH\" HOME=\"${{HOME:-/}}\" USER=\"${{USER:-$(id -un)}}\" LOGNAME=\"${{LOGNAME:-$(id -un)}}\" LANG=\"${{LANG:-C.UTF-8}}\" PM2_HOME=\"$pm2_home\" {Shell.Quote(settings.Pm2Command)} \"$@\"; }}",
            // The dump holds the apps' environment (shared/.env): owner-only, like shared/.env itself.
            "pm2_save() { pm2 save --force >/dev/null 2>&1 || pm2 save >/dev/null 2>&1 || true; chmod 700 \"$pm2_home\" 2>/dev/null || true; chmod 600 \"$pm2_home\"/dump.pm2* 2>/dev/null || true; }");
        foreach (var step in steps)
        {
            script.Line($"step {Shell.Quote(step.Name)}");
            step.Render(script);
        }
        script.Line("}");
        return script.ToString();
    }

    /// <summary>sed program printing the first <c>"commit": "&lt;hex&gt;"</c> value and quitting.</summary>
    public const string CommitSed = "/\"commit\"[[:space:]]*:/{s/.*\"commit\"[[:space:]]*:[[:space:]]*\"\\([0-9a-fA-F]*\\)\".*/\\1/p;q;}";

}
