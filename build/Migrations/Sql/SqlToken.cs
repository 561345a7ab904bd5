using System.Text;

namespace Build.Migrations.Sql;

/// <summary>A lexical token with its place in the file (1-based line and column, columns in characters).</summary>
public sealed record SqlToken(
    SqlTokenKind Kind,
    string Text,
    int Offset,
    int Line,
    int Column,
    bool Unterminated = false
)
{
    public bool IsTrivia => Kind is SqlTokenKind.Whitespace or SqlTokenKind.LineComment or SqlTokenKind.BlockComment;
    public bool IsComment => Kind is SqlTokenKind.LineComment or SqlTokenKind.BlockComment;

    /// <summary>A bare word equal (case-insensitively) to <paramref name="keyword"/>.</summary>
    public bool Is(string keyword) =>
        Kind == SqlTokenKind.Word && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsPunctuation(char c) => Kind == SqlTokenKind.Punctuation && Text.Length == 1 && Text[0] == c;

    /// <summary>
    /// What the token names or holds: a word folded to lower case, a quoted identifier without its quotes, a
    /// string's content with escapes resolved ('' and, for E'...', backslash escapes), a dollar string's body.
    /// </summary>
    public string Value => Kind switch
    {
        SqlTokenKind.Word => Text.ToLowerInvariant(),
        SqlTokenKind.QuotedIdentifier => Unquote(Text, '"', backslashEscapes: false),
        SqlTokenKind.String => StringValue(Text),
        SqlTokenKind.DollarString => DollarBody(Text),
        _ => Text,
    };

    private static string StringValue(string text)
    {
        var quote = text.IndexOf('\'');
        var escaped = quote > 0 && (text[0] is 'e' or 'E');
        return Unquote(text[quote..], '\'', escaped);
    }

    private static string Unquote(string text, char quote, bool backslashEscapes)
    {
        var body = new StringBuilder();
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (backslashEscapes && c == '\\' && i + 1 < text.Length) { body.Append(text[++i]); continue; }
            if (c == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote) { body.Append(quote); i++; continue; }
                break;
            }
            body.Append(c);
        }
        return body.ToString();
    }

    private static string DollarBody(string text)
    {
        var tagEnd = text.IndexOf('$', 1) + 1;
        var tag = text[..tagEnd];
        var bodyLength =
            text.Length
            - tagEnd
            - (text.EndsWith(tag, StringComparison.Ordinal) && text.Length >= 2 * tag.Length ? tag.Length : 0);
        return text.Substring(tagEnd, Math.Max(0, bodyLength));
    }

    public override string ToString() => $"{Kind} '{Text}' at {Line}:{Column}";
}
