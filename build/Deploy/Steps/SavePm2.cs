namespace Build.Deploy.Steps;

/// <summary><c>pm2 save</c> (owner-only dump): a reboot resurrects what runs now.</summary>
public sealed record SavePm2 : IRemoteStep
{
    public string Name => "pm2-save";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) => script.Include("pm2-save.sh");
}
