namespace Build.Deploy.Steps;

/// <summary>Blue/green: the old color (<c>$old_color</c>, from <see cref="StartCandidate"/> or
/// <see cref="ReadColors"/>) no longer takes traffic. With <see cref="DeploySettings.KeepPreviousWarm"/> it keeps
/// running, so that a rollback to it is a switch; otherwise, after a drain pause, its PM2 app is deleted and <c>pm2
/// save</c> run, so that a reboot resurrects the live color only.</summary>
/// <param name="Drain">Wait for requests in flight first (not needed when the old color took no traffic for a
/// while).</param>
public sealed record RetireOldColor(DeploySettings Settings, bool Drain = true) : IRemoteStep
{
    public string Name => "retire";
    public IReadOnlyCollection<string> Needs => ["color", "old_color"];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) =>
        script
            .Set("app_name", Settings.AppName)
            .Set("drain_seconds", Drain ? Settings.DrainSeconds : 0)
            .Set("keep_warm", Settings.KeepPreviousWarm)
            .Include("retire.sh");
}
