using Build.Gates;

namespace Build.Tasks;

/// <summary>The required check on pull requests: the promotion order dev → staging → main, from the branch
/// fields.</summary>
[TaskName(nameof(CheckPromotion))]
[TaskDescription(
    "On a pull request (reads $GITHUB_EVENT_PATH, or --event=<payload.json>): a PR into staging must come from dev, " +
    "into main from staging, both of this repository; the rules come from the environments' branch fields"
)]
[TaskArgument<string>(
    "event",
    "The pull_request event payload to check (default: $GITHUB_EVENT_PATH)",
    Placeholder = "PATH"
)]
public sealed class CheckPromotion : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var payload =
            context.Arg("event")
            ?? context.Variable("GITHUB_EVENT_PATH")
            ?? throw new InvalidOperationException(
                "CheckPromotion reads the pull request's event payload: GITHUB_EVENT_PATH is not set (run it in a " +
                "pull_request workflow, or pass --event=<payload.json>)."
            );
        if (!File.Exists(payload))
            throw new FileNotFoundException(
                $"The event payload {payload} does not exist (GITHUB_EVENT_PATH or --event=)."
            );
        var rules = PromotionRules.From(context.Config);
        var pr =
            PromotionRules.ReadEvent(payload)
            ?? throw new InvalidOperationException(
                $"{payload} holds no pull_request: CheckPromotion is a check for pull_request events."
            );
        if (rules.Violation(pr) is { } violation)
        {
            context.Ci.Error(violation, title: "Promotion rule");
            throw new InvalidOperationException(violation);
        }
        var rule = rules.Rules.FirstOrDefault(r => r.Into == pr.BaseRef);
        var verdict = rule is null
            ? $"Pull request #{pr.Number} ({pr.HeadRef} → {pr.BaseRef}): '{pr.BaseRef}' has no promotion rule " +
                $"(rules: {string.Join("; ", rules.Rules)})."
            : $"Pull request #{pr.Number} ({pr.HeadRef} → {pr.BaseRef}) follows the rule: {rule}.";
        context.Information(verdict);
        context.Ci.Summary($"### Promotion\n\n{verdict}\n");
    }
}
