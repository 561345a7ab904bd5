namespace Build.GitHub;

/// <summary>One row of the difference between GitHub and the configuration, and the write that closes it (null: none).</summary>
public sealed record GitHubChange(string Area, string Item, string Current, string Wanted, Func<Task>? Apply)
{
    public bool IsNeeded => Apply is not null;
    public string Action => Apply is null ? "ok" : Current is "missing" or "not protected" ? "create" : "update";
}
