using System.Text.Json;
using Build.Configuration;

namespace Build.Gates;

/// <summary>
/// The promotion chain, from the <c>branch</c> fields of environments.json in file order (dev, then staging, then
/// main): each environment's branch receives pull requests only from the previous one's, and only from this
/// repository (a fork's branch named <c>staging</c> is not staging). The first branch of the chain takes any branch.
/// </summary>
public sealed class PromotionRules(IReadOnlyList<PromotionRule> rules)
{
    public IReadOnlyList<PromotionRule> Rules { get; } = rules;

    public static PromotionRules From(EnvironmentsFile config)
    {
        var chain = config.Environments.Values.Where(e => e.Branch is { Length: > 0 }).ToList();
        var rules = new List<PromotionRule>();
        for (var i = 1; i < chain.Count; i++)
            if (chain[i].Branch != chain[i - 1].Branch)
                rules.Add(new PromotionRule(chain[i - 1].Branch!, chain[i].Branch!, chain[i - 1].Name, chain[i].Name));
        return new PromotionRules(rules);
    }

    /// <summary>Null when the pull request may merge; else the broken rule and what was seen.</summary>
    public string? Violation(PullRequestFacts pr)
    {
        var rule = Rules.FirstOrDefault(r => r.Into == pr.BaseRef);
        if (rule is null)
            return null;
        if (
            pr.HeadRepository is null
            || !string.Equals(pr.HeadRepository, pr.BaseRepository, StringComparison.OrdinalIgnoreCase)
        )
            return $"Pull request #{pr.Number} comes from " +
                $"{(pr.HeadRepository is null ? "a deleted repository" : $"the fork {pr.HeadRepository}")}, "
                + $"but {rule}{(pr.BaseRepository is null ? "" : $" ({pr.BaseRepository})")}.";
        if (pr.HeadRef != rule.From)
            return $"Pull request #{pr.Number} merges '{pr.HeadRef}' into '{pr.BaseRef}', but {rule}. Merge '" +
                $"{pr.HeadRef}' into '{rule.From}' first.";
        return null;
    }

    /// <summary>Reads a pull_request (or pull_request_target) event payload; null when it holds no pull
    /// request.</summary>
    public static PullRequestFacts? ReadEvent(string payloadPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(payloadPath));
        if (!document.RootElement.TryGetProperty("pull_request", out var pr) || pr.ValueKind != JsonValueKind.Object)
            return null;
        static string? Repo(JsonElement side) =>
            side.TryGetProperty("repo", out var repo)
            && repo.ValueKind == JsonValueKind.Object
            && repo.TryGetProperty("full_name", out var name)
                ? name.GetString()
                : null;
        var baseSide = pr.GetProperty("base");
        var headSide = pr.GetProperty("head");
        return new PullRequestFacts(
            pr.TryGetProperty("number", out var n) && n.TryGetInt32(out var number) ? number : 0,
            baseSide.GetProperty("ref").GetString() ?? "",
            headSide.GetProperty("ref").GetString() ?? "",
            Repo(baseSide),
            Repo(headSide));
    }
}
