namespace Build.Migrations.Lint;

/// <summary>
/// One finding. <see cref="AllowedBecause"/> holds the reason of the file's allow marker when one covers it; an
/// allowed finding is still reported but never blocks.
/// </summary>
public sealed record LintFinding(
    LintRule Rule,
    string File,
    int Line,
    int Column,
    string Message,
    string? AllowedBecause = null
)
{
    public string RuleId => Rule.Id;
    public LintSeverity Severity => Rule.Severity;
    public string Hint => Rule.Hint;
    public bool IsAllowed => AllowedBecause is not null;

    /// <summary>An error-level finding without an allow marker: a production deploy must not go ahead.</summary>
    public bool BlocksProduction => Severity == LintSeverity.Error && !IsAllowed;

    /// <summary>file:line: error RULE: message (hint), compiler style so that editors and CI logs link it.</summary>
    public string Format(string? displayPath = null)
    {
        var level = IsAllowed ? "allowed" : Severity == LintSeverity.Error ? "error" : "warning";
        var suffix = IsAllowed ? $" [allowed: {AllowedBecause}]" : $" ({Hint})";
        return $"{displayPath ?? File}:{Line}: {level} {RuleId}: {Message}{suffix}";
    }

    public override string ToString() => Format();
}
