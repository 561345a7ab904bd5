namespace Build.Migrations.Sql;

/// <summary>A statement as the lexer sees it: its significant tokens (no white space or comments).</summary>
public sealed record SqlStatement(IReadOnlyList<SqlToken> Tokens)
{
    public SqlToken First => Tokens[0];
    public int Line => First.Line;

    /// <summary>The significant tokens' text joined by single spaces (for messages).</summary>
    public string Summary(int maxLength = 80)
    {
        var text = string.Join(' ', Tokens.Select(t => t.Text.ReplaceLineEndings(" ")));
        return text.Length <= maxLength ? text : text[..(maxLength - 3)] + "...";
    }

    /// <summary>True when the statement's tokens start with these words (case-insensitive).</summary>
    public bool StartsWith(params string[] words) => MatchesAt(0, words);

    public bool MatchesAt(int index, params string[] words)
    {
        if (index < 0 || index + words.Length > Tokens.Count) return false;
        for (var k = 0; k < words.Length; k++)
            if (!Tokens[index + k].Is(words[k])) return false;
        return true;
    }

    /// <summary>Index of the first word token equal to <paramref name="word"/> at or after <paramref name="from"/>, or -1.</summary>
    public int IndexOf(string word, int from = 0)
    {
        for (var k = Math.Max(0, from); k < Tokens.Count; k++)
            if (Tokens[k].Is(word)) return k;
        return -1;
    }

    public bool Contains(string word) => IndexOf(word) >= 0;
}

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
