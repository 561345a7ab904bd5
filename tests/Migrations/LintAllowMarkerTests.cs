using Build.Migrations;
using Build.Migrations.Lint;

namespace Build.Tests.Migrations;

public sealed class LintAllowMarkerTests
{
    private static IReadOnlyList<LintFinding> Lint(string sql) =>
        MigrationLinter.Lint([new MigrationFile("20240101000000", "cleanup", "m/20240101000000_cleanup.sql", sql)]);

    [Test]
    public void A_marker_with_a_reason_allows_the_rule_in_its_file_without_hiding_it()
    {
        var finding = Lint(
                "-- lint:allow drop-column reason: column unused since release 41\nalter table messages drop column " +
                "legacy;"
            )
            .Single();
        finding.RuleId.Should().Be("drop-column");
        finding.IsAllowed.Should().BeTrue();
        finding.AllowedBecause.Should().Be("column unused since release 41");
        finding.BlocksProduction.Should().BeFalse();
        finding
            .Format()
            .Should()
            .Contain("allowed drop-column")
            .And.Contain("[allowed: column unused since release 41]");
    }

    [Test]
    public void A_marker_allows_several_rules_and_works_in_block_comments()
    {
        Lint(
                "/* lint:allow drop-table, truncate reason: scratch tables of the import job */\ntruncate " +
                "import_rows;\ndrop table import_rows;"
            )
            .Should()
            .OnlyContain(f => f.IsAllowed)
            .And.HaveCount(2);
    }

    [Test]
    public void A_marker_for_another_rule_allows_nothing_else()
    {
        Lint("-- lint:allow truncate reason: ok\ndrop table t;").Single().BlocksProduction.Should().BeTrue();
    }

    [Test]
    public void A_marker_without_reason_is_itself_an_error_and_allows_nothing()
    {
        var findings = Lint("-- lint:allow drop-table\ndrop table t;");
        findings
            .Select(f => (f.RuleId, f.Line, f.IsAllowed))
            .Should()
            .BeEquivalentTo(new[] { ("drop-table", 2, false), ("allow-without-reason", 1, false) });
        findings.BlocksProduction().Should().BeTrue();

        Lint("-- lint:allow drop-table reason:   \ndrop table t;")
            .Should()
            .Contain(f => f.RuleId == "allow-without-reason");
    }

    [Test]
    public void A_marker_naming_an_unknown_rule_is_a_warning()
    {
        var finding = Lint("-- lint:allow drop-everything reason: typo\nselect 1;").Single();
        (finding.RuleId, finding.Severity).Should().Be(("allow-unknown-rule", LintSeverity.Warning));
        finding.Message.Should().Contain("drop-everything");
    }

    [Test]
    public void A_marker_inside_a_string_is_not_a_marker()
    {
        Lint("select '-- lint:allow drop-table reason: no';\ndrop table t;").Single().IsAllowed.Should().BeFalse();
    }
}
