using Build.Migrations.Sql;

namespace Build.Tests.Migrations;

public sealed class SqlLexerTests
{
    private static List<(SqlTokenKind Kind, string Text)> Significant(string sql) =>
        SqlLexer.Tokenize(sql).Where(t => !t.IsTrivia).Select(t => (t.Kind, t.Text)).ToList();

    [TestCase("-- c; 'x\nselect", SqlTokenKind.LineComment, "-- c; 'x")]
    [TestCase("/* a /* nested */ still; */select", SqlTokenKind.BlockComment, "/* a /* nested */ still; */")]
    [TestCase("'it''s; fine' x", SqlTokenKind.String, "'it''s; fine'")]
    [TestCase(@"E'it\'s; \\' x", SqlTokenKind.String, @"E'it\'s; \\'")]
    [TestCase(@"'C:\path' x", SqlTokenKind.String, @"'C:\path'")]
    [TestCase("\"we;ird \"\"id\"\"\" x", SqlTokenKind.QuotedIdentifier, "\"we;ird \"\"id\"\"\"")]
    [TestCase("$$ a; 'b $$ x", SqlTokenKind.DollarString, "$$ a; 'b $$")]
    [TestCase(
        "$BODY$ begin; $$ not end $$; end $BODY$ x",
        SqlTokenKind.DollarString,
        "$BODY$ begin; $$ not end $$; end $BODY$"
    )]
    [TestCase("$tag_1$ ; $tag_1$ x", SqlTokenKind.DollarString, "$tag_1$ ; $tag_1$")]
    [TestCase("U&'d\\0061t' x", SqlTokenKind.String, "U&'d\\0061t'")]
    public void First_token_covers_the_whole_construct(string sql, SqlTokenKind kind, string text)
    {
        var first = SqlLexer.Tokenize(sql)[0];
        (first.Kind, first.Text, first.Unterminated).Should().Be((kind, text, false));
    }

    [Test]
    public void Values_resolve_quoting_and_escapes()
    {
        SqlLexer.Tokenize("'it''s'")[0].Value.Should().Be("it's");
        SqlLexer.Tokenize(@"E'it\'s'")[0].Value.Should().Be("it's");
        SqlLexer.Tokenize("\"Mixed\"\"Case\"")[0].Value.Should().Be("Mixed\"Case");
        SqlLexer.Tokenize("Public")[0].Value.Should().Be("public");
        SqlLexer.Tokenize("$x$body$x$")[0].Value.Should().Be("body");
    }

    [Test]
    public void Identifiers_with_dollars_and_parameters_are_not_dollar_quotes()
    {
        Significant("select a$b$ from t where x = $1")
            .Should()
            .Equal(
                (SqlTokenKind.Word, "select"),
                (SqlTokenKind.Word, "a$b$"),
                (SqlTokenKind.Word, "from"),
                (SqlTokenKind.Word, "t"),
                (SqlTokenKind.Word, "where"),
                (SqlTokenKind.Word, "x"),
                (SqlTokenKind.Operator, "="),
                (SqlTokenKind.Parameter, "$1")
            );
    }

    [Test]
    public void Operators_stop_where_a_comment_starts_and_casts_are_one_token()
    {
        Significant("a <>-- c\n b::text")
            .Should()
            .Equal(
                (SqlTokenKind.Word, "a"),
                (SqlTokenKind.Operator, "<>"),
                (SqlTokenKind.Word, "b"),
                (SqlTokenKind.Operator, "::"),
                (SqlTokenKind.Word, "text")
            );
    }

    [Test]
    public void Tokens_know_their_line_and_column_and_rebuild_the_input()
    {
        const string sql = "select 1;\n  /* two\nlines */ drop table t;\r\n\tselect 'x'";
        var tokens = SqlLexer.Tokenize(sql);
        string.Concat(tokens.Select(t => t.Text)).Should().Be(sql);
        var drop = tokens.Single(t => t.Is("drop"));
        (drop.Line, drop.Column).Should().Be((3, 10));
        var str = tokens.Single(t => t.Kind == SqlTokenKind.String);
        (str.Line, str.Column).Should().Be((4, 9));
    }

    [TestCase("select 'open", SqlTokenKind.String)]
    [TestCase("select \"open", SqlTokenKind.QuotedIdentifier)]
    [TestCase("select $$ open", SqlTokenKind.DollarString)]
    [TestCase("/* open /* */", SqlTokenKind.BlockComment)]
    public void Unterminated_constructs_run_to_the_end_and_say_so(string sql, SqlTokenKind kind)
    {
        var last = SqlLexer.Tokenize(sql)[^1];
        (last.Kind, last.Unterminated).Should().Be((kind, true));
    }

    [Test]
    public void Script_statements_split_like_postgres_including_atomic_bodies_and_rule_actions()
    {
        var script = SqlScript.Parse(
            "create function f() returns int language sql begin atomic select case when true then 1 end; select 2; " +
            "end;\n"
                + "create rule r as on insert to t do also (insert into log values ((1)); select 2);\n"
                + "select 'a;b'; ; -- x;\nselect 3"
        );
        script
            .Statements.Select(s => s.First.Text + "@" + s.Line)
            .Should()
            .Equal("create@1", "create@2", "select@3", "select@4");
    }
}
