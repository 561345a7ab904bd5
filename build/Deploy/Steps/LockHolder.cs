namespace Build.Deploy.Steps;

/// <summary>Who holds a deploy lock: written into the lock's info file, shown to whoever waits for it.</summary>
public sealed record LockHolder(string Who, string Commit, DateTimeOffset Since, string Token)
{
    public static LockHolder Create(string who, string commit, DateTimeOffset now) =>
        new(who, commit, now, Guid.NewGuid().ToString("N"));
}
