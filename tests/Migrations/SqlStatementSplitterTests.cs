using Build.Migrations.Sql;
using Build.Tests.Infrastructure;

namespace Build.Tests.Migrations;

public sealed class SqlStatementSplitterTests
{
    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(Require.RepositoryRoot, "tests", "Migrations", "Fixtures", name));

    [Test]
    public void Tricky_file_splits_into_what_the_cli_stored()
    {
        // Read back from supabase_migrations.schema_migrations after `supabase db push` (2.117.0) of this file.
        SqlStatementSplitter
            .Split(Fixture("tricky.sql"))
            .Should()
            .Equal(
                "-- Leading comment; with a semicolon\n/* block comment; /* nested; */ still comment; */\ncreate " +
                "table \"we;ird \"\"name\"\"\" (id int primary key, note text default 'it''s; fine')",
                "create function f_dollar() returns text language plpgsql as $$\nbegin\n  return 'a;b';\nend;\n$$",
                "CREATE FUNCTION f_body(x int) RETURNS int LANGUAGE plpgsql AS $BODY$\nDECLARE y int := 1; -- inner; " +
                "comment\nBEGIN\n  /* ; */ y := x + 1;\n  RETURN y;\nEND;\n$BODY$",
                "create function f_atomic(a int) returns int language sql\nbegin atomic\n  select a + 1;\nend",
                "create rule r_ins as on insert to \"we;ird \"\"name\"\"\" do also (select 1; select 2)",
                "insert into \"we;ird \"\"name\"\"\" (id, note) values (1, E'tab\\there; x'), (2, 'héllo; wörld'), " +
                "(3, $_$dollar; $$ inside$_$)",
                "select 1",
                "-- trailing comment; after statement",
                "-- only a comment here;",
                "select 'no terminator' -- final comment"
            );
    }

    [Test]
    public void Crlf_line_endings_are_kept_inside_statements()
    {
        SqlStatementSplitter.Split("select 1;\r\n-- crlf comment\r\nselect 2\r\n;\r\n")
            .Should().Equal("select 1", "-- crlf comment\r\nselect 2");
    }

    [Test]
    public void Statements_know_where_they_start_in_the_file()
    {
        var statements = SqlStatementSplitter.SplitWithPositions("-- header\nselect 1;\n\n  select 2;select 3");
        statements
            .Select(s => (s.Text, s.Line, s.Column))
            .Should()
            .Equal(("-- header\nselect 1", 1, 1), ("select 2", 4, 3), ("select 3", 4, 12));
    }

    [Test]
    public void A_postgres_error_position_maps_to_the_file_line_and_column()
    {
        const string sql = "create table a (id int);\ncreate table b (\n  id int,\n  owner uuid refrences a\n);";
        var second = SqlStatementSplitter.SplitWithPositions(sql)[1];
        // PostgreSQL reports the 1-based character position of "refrences" within the statement it was sent.
        var position = second.PositionOf(second.Text.IndexOf("refrences", StringComparison.Ordinal) + 1, sql);
        (position.Line, position.Column).Should().Be((4, 14));
    }

    [Test]
    public void Empty_pieces_and_lone_semicolons_are_dropped()
    {
        SqlStatementSplitter.Split(";;\n ; select 1;;").Should().Equal("select 1");
        SqlStatementSplitter.Split("").Should().BeEmpty();
        SqlStatementSplitter.Split("   \n").Should().BeEmpty();
    }

    // The CLI's own state machine (pkg/parser/state.go) differs from PostgreSQL in a few places; we reproduce it,
    // because the history must hold what the CLI would have stored. PostgreSQL rejects the resulting pieces, so the
    // CLI cannot apply such files at all (and these cases cannot be checked with a real `db push`).
    [TestCase(
        "create function f() returns int language sql begin atomic select case when true then 1 end; select 2; end;",
        new[]
        {
            "create function f() returns int language sql begin atomic select case when true then 1 end",
            "select 2",
            "end",
        },
        TestName = "Cli quirk: the first END, even of a CASE, closes an atomic body"
    )]
    [TestCase(
        "create function f() returns int language sql begin atomic select 1 as legend; end;",
        new[] { "create function f() returns int language sql begin atomic select 1 as legend", "end" },
        TestName = "Cli quirk: END inside a word closes an atomic body")]
    [TestCase("select E'it\\'s; x'; select 2;",
        new[] { "select E'it\\'s", "x'; select 2" },
        TestName = "Cli quirk: a backslash-escaped quote in E'' ends the string")]
    [TestCase("create rule r as on insert to t do also (insert into l values ((1)); select 2);",
        new[] { "create rule r as on insert to t do also (insert into l values ((1))", "select 2)" },
        TestName = "Cli quirk: the first closing parenthesis ends every open one")]
    [TestCase("select $é$ a; b $é$;", new[] { "select $é$ a", "b $é$" },
        TestName = "Cli quirk: dollar tags are ASCII only")]
    [TestCase("select 1 \\; select 2;", new[] { "select 1 \\; select 2" },
        TestName = "Cli quirk: a backslash outside quotes escapes the next character")]
    public void Cli_quirks_are_reproduced(string sql, string[] expected)
    {
        SqlStatementSplitter.Split(sql).Should().Equal(expected);
    }

    [Test]
    public void Every_prefix_of_the_fixtures_splits_and_detects_without_crashing()
    {
        foreach (var name in new[] { "tricky.sql", "unicode_and_tags.sql" })
        {
            var content = Fixture(name);
            for (var length = 0; length <= content.Length; length++)
            {
                var prefix = content[..length];
                var act = () =>
                {
                    SqlStatementSplitter.SplitWithPositions(prefix);
                    Build.Migrations.NonTransactionalDetector.Detect(
                        new Build.Migrations.MigrationFile("1", "x", "x.sql", prefix)
                    );
                };
                act.Should().NotThrow($"prefix of {name} up to {length}");
            }
        }
    }
}
