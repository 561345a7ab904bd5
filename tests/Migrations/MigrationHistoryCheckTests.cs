using Build.Migrations;
using Build.Migrations.Database;

namespace Build.Tests.Migrations;

/// <summary>
/// The history check on its own (no database: the history is given as the rows the journal would read): each state a
/// version can be in, and each problem with the command that fixes it.
/// </summary>
public class MigrationHistoryCheckTests
{
    private static readonly DateTime Now = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);
    private const string Url = "\"$STAGING_DATABASE_URL\"";

    private static MigrationFile File(string version, string sql = "select 1;", string name = "step") =>
        new(
            version,
            name,
            Path.Combine(Path.GetTempPath(), "muva-history-check", "supabase", "migrations", $"{version}_{name}.sql"),
            sql
        );

    private static AppliedMigration Row(string version, string sql = "select 1;", string? name = "step") =>
        new(version, name, Build.Migrations.Sql.SqlStatementSplitter.Split(sql), null, null);

    [Test]
    public void Each_version_is_applied_pending_missing_locally_or_changed_in_version_order()
    {
        var states = MigrationHistoryCheck.States(
            [
                File("20260103000000"),
                File("20260101000000"),
                File("20260104000000", "select 2;"),
                File("20260101000000", "select 9;", "duplicate"),
            ],
            [
                Row("20260102000000", name: "gone"),
                Row("20260101000000"),
                Row("20260104000000", "select 1;"),
                new("20260105000000", null, null, null, null),
            ]
        );

        states.Select(s => (s.Version, s.State, s.Name)).Should().Equal(
            ("20260101000000", MigrationState.Applied, "step"),
            ("20260102000000", MigrationState.MissingLocally, "gone"),
            ("20260103000000", MigrationState.Pending, "step"),
            ("20260104000000", MigrationState.Changed, "step"),
            ("20260105000000", MigrationState.MissingLocally, null));
        states[0].File!.Content.Should().Be("select 1;", "the first file of a version is the one compared");
    }

    [Test]
    public void A_row_without_statements_cannot_be_compared_and_counts_as_applied()
    {
        var states = MigrationHistoryCheck.States(
            [File("20260101000000", "select 2;")],
            [new("20260101000000", "step", null, null, null)]
        );
        states.Single().State.Should().Be(MigrationState.Applied);
    }

    [Test]
    public void A_history_row_without_a_file_names_the_repair_command_with_the_url_as_given()
    {
        var problems = MigrationHistoryCheck.Check(
            [File("20260101000000")],
            [Row("20260101000000"), Row("20260102000000", name: "gone"), Row("20260103000000", name: null)],
            false,
            Url,
            Now
        );

        problems.Select(p => p.Code).Should().Equal("missing-local-file", "missing-local-file");
        problems[0]
            .Message.Should()
            .Be(
                "version 20260102000000 (gone) is in the database's history but there is no " +
                "supabase/migrations/20260102000000_*.sql file. "
                    + "Restore the file from git, or if it was deliberately removed mark it reverted: "
                    + "npx supabase migration repair --status reverted 20260102000000 --db-url " +
                    "\"\"$STAGING_DATABASE_URL\"\""
            );
        problems[1].Message.Should().StartWith("version 20260103000000 (no name) is in the database's history");
        problems.Should().OnlyContain(p => p.File == null);
    }

    [Test]
    public void An_edited_applied_file_is_reported_with_its_file_and_a_diff_of_the_statements()
    {
        var file = File("20260101000000", "create table a (id int);\ncreate table b (id int);\n");
        var problems = MigrationHistoryCheck.Check(
            [file],
            [Row("20260101000000", "create table a (id int);\ncreate table c (id int);\n")],
            false,
            Url,
            Now
        );

        var problem = problems.Should().ContainSingle().Which;
        problem.Code.Should().Be("changed-after-apply");
        problem.File.Should().Be(file.Path);
        problem.Line.Should().Be(1);
        problem.Message.Should().Contain("was edited after it was applied; the database still has the old version")
            .And.Contain("./build.sh --target=NewMigration --name=...")
            .And.Contain("--- applied (20260101000000, as stored in supabase_migrations.schema_migrations)")
            .And.Contain("-create table c (id int)")
            .And.Contain("+create table b (id int)")
            .And.Contain(" create table a (id int)");
    }

    [Test]
    public void A_pending_file_older_than_the_newest_applied_one_gets_a_new_version_each_unless_allowed()
    {
        var files = new[]
        {
            File("20260101000000"),
            File("20260102000000", name: "late_a"),
            File("20260103000000", name: "late_b"),
            File("20260105000000"),
            File("20260106000000", name: "new"),
        };
        var history = new[] { Row("20260101000000"), Row("20260105000000") };

        var problems = MigrationHistoryCheck.Check(files, history, false, Url, Now);

        problems.Select(p => p.Code).Should().Equal("out-of-order", "out-of-order");
        problems[0].File.Should().EndWith("20260102000000_late_a.sql");
        problems[0].Line.Should().Be(1);
        problems[0]
            .Message.Should()
            .Contain("is pending but older than 20260105000000, the newest applied migration")
            .And.Contain("/20261129120000_late_a.sql")
            .And.Contain("--allow-out-of-order");
        problems[1]
            .Message.Should()
            .Contain("/20261129120001_late_b.sql", "each renamed file gets a version of its own");
        MigrationHistoryCheck.Check(files, history, true, Url, Now).Should().BeEmpty();
    }

    [Test]
    public void The_newest_applied_version_counts_only_when_a_file_or_row_names_it_and_nothing_is_late_without_history()
    {
        MigrationHistoryCheck
            .Check([File("20260101000000"), File("20260102000000")], [], false, Url, Now)
            .Should()
            .BeEmpty();
        var problems = MigrationHistoryCheck.Check(
            [File("20260101000000"), File("20260103000000")],
            [Row("20260102000000")],
            false,
            Url,
            Now
        );
        problems.Select(p => p.Code).Should().Equal("missing-local-file", "out-of-order");
        problems[1].Message.Should().Contain("20260101000000_step.sql is pending but older than 20260102000000");
    }

    [Test]
    public void A_new_version_is_now_or_one_second_after_the_newest_whichever_is_later()
    {
        MigrationHistoryCheck.NextVersion("20260101000000", Now).Should().Be("20261129120000");
        MigrationHistoryCheck
            .NextVersion("20261129120000", Now)
            .Should()
            .Be("20261129120001", "now is taken: one second later");
        MigrationHistoryCheck.NextVersion("20261129115959", Now.AddMilliseconds(500)).Should().Be("20261129120000");
        MigrationHistoryCheck.NextVersion("20301231235959", Now).Should().Be("20310101000000");
        MigrationHistoryCheck.NextVersion("not-a-version", Now).Should().Be("20261129120000");
        MigrationHistoryCheck.NextVersion("20261129120000", Now.ToLocalTime()).Should().Be("20261129120001");
    }

    [Test]
    public void The_diff_shows_changes_with_two_lines_of_context_and_marks_gaps()
    {
        var before = string.Join("\n", Enumerable.Range(1, 12).Select(i => $"line {i}"));
        var after = before.Replace("line 2", "line two").Replace("line 11", "line eleven");

        var diff = UnifiedDiff.Create(before, after, "old", "new");

        diff.Split('\n').Should().Equal(
            "--- old", "+++ new",
            " line 1", "-line 2", "+line two", " line 3", " line 4",
            "@@",
            " line 9", " line 10", "-line 11", "+line eleven", " line 12");
        UnifiedDiff.Create("a\r\nb", "a\nb", "x", "y").Should().Be("--- x\n+++ y", "line endings alone are no change");
        UnifiedDiff.Create("a", "a\nb", "x", "y").Should().Be("--- x\n+++ y\n a\n+b");
    }

    [Test]
    public void The_diff_is_exact_at_its_edges_first_and_last_lines_pure_inserts_and_deletes_and_gaps_of_one_line()
    {
        // A change in the first line, and one in the last: nothing before or after them is lost or invented.
        UnifiedDiff.Create("a\nb\nc", "z\nb\nc", "x", "y").Should().Be("--- x\n+++ y\n-a\n+z\n b\n c");
        UnifiedDiff.Create("a\nb\nc", "a\nb\nz", "x", "y").Should().Be("--- x\n+++ y\n a\n b\n-c\n+z");
        // Lines only added at the start, lines only removed from the end.
        UnifiedDiff.Create("b\nc", "a\nb\nc", "x", "y").Should().Be("--- x\n+++ y\n+a\n b\n c");
        UnifiedDiff.Create("a\nb\nc", "a", "x", "y").Should().Be("--- x\n+++ y\n a\n-b\n-c");
        // With one line of context, two changes whose context windows touch stay one hunk; one line further apart,
        // they are two hunks with a gap mark between them.
        UnifiedDiff.Create("1\n2\n3\n4\n5", "1\nX\n3\nY\n5", "x", "y", context: 1)
            .Should().Be("--- x\n+++ y\n 1\n-2\n+X\n 3\n-4\n+Y\n 5");
        UnifiedDiff.Create("1\n2\n3\n4\n5\n6\n7", "1\nX\n3\n4\n5\nY\n7", "x", "y", context: 1)
            .Should().Be("--- x\n+++ y\n 1\n-2\n+X\n 3\n@@\n 5\n-6\n+Y\n 7");
        // A line moved: the longest common part is kept, the moved line is removed and added.
        UnifiedDiff.Create("a\nb\nc\nd", "b\nc\nd\na", "x", "y").Should().Be("--- x\n+++ y\n-a\n b\n c\n d\n+a");
    }
}
