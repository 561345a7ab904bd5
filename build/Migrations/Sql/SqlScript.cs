namespace Build.Migrations.Sql;

/// <summary>A file's tokens and the statements they form.</summary>
public sealed class SqlScript
{
    private SqlScript(string text, IReadOnlyList<SqlToken> tokens, IReadOnlyList<SqlStatement> statements)
    {
        Text = text;
        Tokens = tokens;
        Statements = statements;
    }

    public string Text { get; }
    /// <summary>Every token, trivia included.</summary>
    public IReadOnlyList<SqlToken> Tokens { get; }
    public IReadOnlyList<SqlStatement> Statements { get; }
    public IEnumerable<SqlToken> Comments => Tokens.Where(t => t.IsComment);

    /// <summary>
    /// Splits on <c>;</c> at parenthesis depth 0 outside <c>BEGIN ATOMIC ... END</c> bodies (where CASE ... END
    /// nests), the way PostgreSQL itself reads the text; empty statements are dropped.
    /// </summary>
    public static SqlScript Parse(string sql)
    {
        var tokens = SqlLexer.Tokenize(sql);
        var statements = new List<SqlStatement>();
        var current = new List<SqlToken>();
        int parentheses = 0, atomicDepth = 0;
        SqlToken? previous = null;
        foreach (var token in tokens.Where(t => !t.IsTrivia))
        {
            if (token.IsPunctuation('(')) parentheses++;
            else if (token.IsPunctuation(')')) parentheses = Math.Max(0, parentheses - 1);
            else if (atomicDepth == 0 && token.Is("atomic") && previous?.Is("begin") == true) atomicDepth = 1;
            else if (atomicDepth > 0 && token.Is("case")) atomicDepth++;
            else if (atomicDepth > 0 && token.Is("end")) atomicDepth--;

            if (token.IsPunctuation(';') && parentheses == 0 && atomicDepth == 0)
            {
                if (current.Count > 0) statements.Add(new SqlStatement(current));
                current = new List<SqlToken>();
            }
            else current.Add(token);
            previous = token;
        }
        if (current.Count > 0) statements.Add(new SqlStatement(current));
        return new SqlScript(sql, tokens, statements);
    }
}
