namespace Build.Deploy.Steps;

/// <summary>
/// Blue/green (Scripts/start.sh): starts <see cref="ReleaseName"/> as the idle color's PM2 app on that color's port and
/// health-checks it there. Nothing routes to it yet. On failure the candidate is deleted from PM2, the release is
/// marked failed and kept for inspection, and the script fails. Expected commit: <see cref="ExpectedCommit"/>, or the
/// release's manifest. Produces <c>$color</c>, <c>$port</c> and <c>$old_color</c> (also printed as <c>::out</c>).
/// </summary>
/// <remarks>With <see cref="ReuseRunning"/> (a rollback), an idle color that still runs the release and answers
/// healthy at once is kept as it is: after a failed verification the old color never stopped, so switching back
/// takes a second.</remarks>
public sealed record StartCandidate(
    ReleaseLayout Layout,
    DeploySettings Settings,
    string ReleaseName,
    string? ExpectedCommit,
    bool ReuseRunning = false
) : IRemoteStep
{
    public string Name => "start";
    public IReadOnlyCollection<string> Needs => ["health_check", "health_last", "health_timeout", "mark_failed"];
    public IReadOnlyCollection<string> Produces => ["color", "port", "old_color"];
    public IReadOnlyCollection<string> Reports => ["color", "port", "old_color"];

    public static string ProcessName(string app, string color) => $"{app}-{color}";

    public void Render(ScriptWriter script)
    {
        var release = Layout.Release(ReleaseName);
        Pm2Ecosystem Ecosystem(string color, int port) =>
            new(ProcessName(Settings.AppName, color), release, Settings.Entry, port, Settings, $"{Layout.Shared}/.env");
        script
            .Set("release", release)
            .Set("release_name", ReleaseName)
            .Set("expected_commit", ExpectedCommit)
            .Set("live_color_file", Layout.LiveColorFile)
            .Set("blue_port", Settings.BluePort)
            .Set("green_port", Settings.GreenPort)
            .Set("app_name", Settings.AppName)
            .Set("ecosystem_blue", Ecosystem("blue", Settings.BluePort).Render().TrimEnd('\n'))
            .Set("ecosystem_green", Ecosystem("green", Settings.GreenPort).Render().TrimEnd('\n'))
            .Set("reuse_running", ReuseRunning)
            .Include("start.sh");
    }
}
