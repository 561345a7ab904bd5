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
        SqlStatementSplitter.Split(Fixture("tricky.sql")).Should().Equal(
            "-- Leading comment; with a semicolon\n/* block comment; /* nested; */ still comment; */\ncreate table \"we;ird \"\"name\"\"\" (id int primary key, note text default 'it''s; fine')",
            "create function f_dollar() returns text language plpgsql as $$\nbegin\n  return 'a;b';\nend;\n$$",
            "CREATE FUNCTION f_body(x int) RETURNS int LANGUAGE plpgsql AS $BODY$\nDECLARE y int := 1; -- inner; comment\nBEGIN\n  /* ; */ y := x + 1;\n  RETURN y;\nEND;\n$BODY$",
            "create function f_atomic(a int) returns int language sql\nbegin atomic\n  select a + 1;\nend",
            "create rule r_ins as on insert to \"we;ird \"\"name\"\"\" do also (select 1; select 2)",
            "insert into \"we;ird \"\"name\"\"\" (id, note) values (1, E'tab\\there; x'), (2, 'héllo; wörld'), (3, $_$dollar; $$ inside$_$)",
            "select 1",
            "-- trailing comment; after statement",
            "-- only a comment here;",
            "select 'no terminator' -- final comment");
    }

    [Test]
    public void Crlf_line_endings_are_kept_inside_statements()
    {
        SqlStatementSplitter.Split("select 1;\r\n-- crlf comment\r\nselect 2\r\n;\r\n")
            .Should().Equal("select 1", "-- crlf comment\r\nselect 2");
    }
}
