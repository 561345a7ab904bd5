namespace Build.Deploy.Steps;

/// <summary>Releases the lock only when it is still ours (the token matches): never someone else's.</summary>
public sealed record ReleaseLock(ReleaseLayout Layout, string Token) : IRemoteStep
{
    public string Name => "unlock";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => [];

    /// <summary>Paths this run made that must go when it ends early (its upload, its unpack folder).</summary>
    public IReadOnlyList<string> Leftovers { get; init; } = [];

    public void Render(ScriptWriter script) => script
        .Set("unlock_lock", Layout.Lock).Set("unlock_lock_info", Layout.LockInfo).Set("unlock_token", Token)
        .SetArray("unlock_leftovers", Leftovers)
        .Include("unlock.sh");
}
