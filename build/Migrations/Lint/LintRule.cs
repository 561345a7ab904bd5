namespace Build.Migrations.Lint;

/// <summary>A lint rule: its id (used in allow markers), how bad it is, and how to fix what it finds.</summary>
public sealed record LintRule(string Id, LintSeverity Severity, string Title, string Hint)
{
    public override string ToString() => Id;
}
