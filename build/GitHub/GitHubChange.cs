namespace Build.GitHub;

/// <summary>One row of the difference between GitHub and the configuration, and the write that closes it (null:
/// none).</summary>
public sealed record GitHubChange(string Area, string Item, string Current, string Wanted, Func<Task>? Apply)
{
    public bool IsNeeded => Apply is not null;
    /// <summary>A secret GitHub lacks and this machine has no value for is not "ok": nothing can be written for
    /// it.</summary>
    public bool LacksValue => Apply is null && Area == "secret" && Current == "missing";
    public string Action =>
        LacksValue ? "no value"
        : Apply is null ? "ok"
        : Current is "missing" or "not protected" ? "create"
        : "update";
}
