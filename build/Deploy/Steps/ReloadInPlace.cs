namespace Build.Deploy.Steps;

/// <summary>
/// Reload strategy (Scripts/reload.sh): points <c>current</c> at the release, <c>pm2 startOrReload</c>s the one cluster
/// app (whose paths go through <c>current</c>), and health-checks it on its port. On failure: <c>current</c> goes back
/// to <see cref="PreviousRelease"/> and PM2 reloads again, the release is marked failed and kept.
/// </summary>
public sealed record ReloadInPlace(
    ReleaseLayout Layout,
    DeploySettings Settings,
    string ReleaseName,
    string? PreviousRelease,
    string? ExpectedCommit
) : IRemoteStep
{
    public string Name => "reload";
    public IReadOnlyCollection<string> Needs => ["health_check", "health_last", "mark_failed"];
    public IReadOnlyCollection<string> Produces => [];
    public IReadOnlyCollection<string> Reports => ["port"];

    public void Render(ScriptWriter script)
    {
        var release = Layout.Release(ReleaseName);
        var port = Settings.Ports[0];
        script
            .Set("release", release)
            .Set("release_name", ReleaseName)
            .Set("expected_commit", ExpectedCommit)
            .Set(
                "ecosystem",
                new Pm2Ecosystem(
                    Settings.AppName,
                    Layout.Current,
                    Settings.Entry,
                    port,
                    Settings,
                    $"{Layout.Shared}/.env"
                )
                    .Render()
                    .TrimEnd('\n')
            )
            .Set("ecosystem_file", $"{release}/ecosystem.config.js")
            .Set("port", port)
            .Set("current_link", Layout.Current).Set("current_tmp", Layout.CurrentTemp)
            .Set("went_live_marker", ReleaseLayout.WentLiveMarker)
            .Set("previous_release", PreviousRelease)
            .Set("previous_release_dir", PreviousRelease is null ? null : Layout.Release(PreviousRelease))
            .Include("reload.sh");
    }
}
