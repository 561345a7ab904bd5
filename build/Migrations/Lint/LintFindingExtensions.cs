namespace Build.Migrations.Lint;

public static class LintFindingExtensions
{
    public static bool BlocksProduction(this IEnumerable<LintFinding> findings) =>
        findings.Any(f => f.BlocksProduction);
}
