namespace Build.Deploy;

/// <summary>One host's part of a deploy plan: the live release now, the new one, and the releases pruning would
/// delete.</summary>
public sealed record HostPlan(
    string Host,
    string? Current,
    string NewRelease,
    IReadOnlyList<string> Pruned,
    string? Problem
)
{
    public string Describe() =>
        Problem is not null
            ? $"{Host}: {Problem}"
            : $"{Host}: switch {Current ?? "(nothing live yet)"} -> {NewRelease}; prune " +
                $"{(Pruned.Count == 0 ? "nothing" : string.Join(", ", Pruned))}";
}
