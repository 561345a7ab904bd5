namespace Build.Deploy.Steps;

/// <summary>
/// Blue/green: points the Nginx upstream at the healthy candidate's port (<c>$port</c>, from
/// <see cref="StartCandidate"/>), through the least-privilege helper (Scripts/nginx-helper.sh) or by rewriting the
/// include and reloading (Scripts/nginx-file.sh). If that fails, the previous include is put back, the candidate
/// (<c>$color</c>) is stopped and the script fails before <c>current</c> moves. Without either setting, Nginx is left
/// alone (Scripts/nginx-none.sh).
/// </summary>
public sealed record SwitchNginx(ReleaseLayout Layout, DeploySettings Settings, string ReleaseName) : IRemoteStep
{
    public string Name => "nginx";

    public IReadOnlyCollection<string> Needs =>
        Settings.NginxSwitchCommand is { Length: > 0 } || Settings.NginxUpstreamFile is not null
            ? ["color", "port"]
            : [];

    public IReadOnlyCollection<string> Produces => [];

    public static string UpstreamBlock(string app, int port) => $"upstream {app} {{ server 127.0.0.1:{port}; }}";

    public void Render(ScriptWriter script)
    {
        if (Settings.NginxSwitchCommand is { Length: > 0 } helper)
            script
                .Set("app_name", Settings.AppName)
                .Set("nginx_switch_command", helper)
                .Function("nginx_switch", helper)
                .Include("nginx-helper.sh");
        else if (Settings.NginxUpstreamFile is { } file)
            script.Set("app_name", Settings.AppName).Set("upstream_file", file).Set("release_name", ReleaseName)
                .Function("nginx_reload", Settings.NginxReloadCommand)
                .Include("nginx-file.sh");
        else
            script.Include("nginx-none.sh");
    }
}
