namespace Build.Deploy.Steps;

/// <summary><c>pm2 kill</c> of the deploy's own PM2_HOME (the local rehearsal's), when it exists; nothing
/// else.</summary>
public sealed record StopPm2Daemon : IRemoteStep
{
    public string Name => "pm2-kill";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) => script.Include("pm2-kill.sh");
}
