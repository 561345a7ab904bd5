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

    /// <summary>Index of the first word token equal to <paramref name="word"/> at or after <paramref name="from"/>, or
    /// -1.</summary>
    public int IndexOf(string word, int from = 0)
    {
        for (var k = Math.Max(0, from); k < Tokens.Count; k++)
            if (Tokens[k].Is(word)) return k;
        return -1;
    }

    public bool Contains(string word) => IndexOf(word) >= 0;
}
