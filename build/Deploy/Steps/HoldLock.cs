namespace Build.Deploy.Steps;

/// <summary>Last step of a phase that took the lock: from here on the lock outlives the script (until
/// <see cref="ReleaseLock"/>). Its marker line is the script's last write, so a vanished client is noticed
/// first.</summary>
public sealed record HoldLock : IRemoteStep
{
    public string Name => "hold";
    public IReadOnlyCollection<string> Needs => ["lock_held"];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) => script.Include("hold.sh");
}
