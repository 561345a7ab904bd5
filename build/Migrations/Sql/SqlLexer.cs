using System.Text;

namespace Build.Migrations.Sql;

/// <summary>
/// A PostgreSQL lexer (standard_conforming_strings on): comments (nested /* */), strings with '' and E'\'' escapes,
/// quoted identifiers, dollar quotes, words, numbers, parameters, operators. It never throws: an unterminated
/// string or comment runs to the end of the text and is marked <see cref="SqlToken.Unterminated"/>. Concatenating
/// every token's text gives back the input.
/// </summary>
public static class SqlLexer
{
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";

    public static IReadOnlyList<SqlToken> Tokenize(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = new List<SqlToken>();
        int line = 1, lineStart = 0, i = 0;
        while (i < sql.Length)
        {
            var start = i;
            var (kind, unterminated) = Scan(sql, ref i);
            tokens.Add(new SqlToken(kind, sql[start..i], start, line, start - lineStart + 1, unterminated));
            for (var j = start; j < i; j++)
                if (sql[j] == '\n') { line++; lineStart = j + 1; }
        }
        return tokens;
    }

    private static (SqlTokenKind, bool Unterminated) Scan(string s, ref int i)
    {
        var c = s[i];
        if (char.IsWhiteSpace(c))
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            return (SqlTokenKind.Whitespace, false);
        }
        if (c == '-' && At(s, i + 1) == '-')
        {
            while (i < s.Length && s[i] != '\n') i++;
            return (SqlTokenKind.LineComment, false);
        }
        if (c == '/' && At(s, i + 1) == '*') return (SqlTokenKind.BlockComment, !ScanBlockComment(s, ref i));
        if (c == '\'') return (SqlTokenKind.String, !ScanQuoted(s, ref i, '\'', backslashEscapes: false));
        if (c == '"') return (SqlTokenKind.QuotedIdentifier, !ScanQuoted(s, ref i, '"', backslashEscapes: false));
        if (c == '$')
        {
            if (char.IsAsciiDigit(At(s, i + 1)))
            {
                i++;
                while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
                return (SqlTokenKind.Parameter, false);
            }
            if (DollarTagLength(s, i) is var tagLength and > 0)
            {
                var tag = s.Substring(i, tagLength);
                var close = s.IndexOf(tag, i + tagLength, StringComparison.Ordinal);
                i = close < 0 ? s.Length : close + tagLength;
                return (SqlTokenKind.DollarString, close < 0);
            }
            i++;
            return (SqlTokenKind.Operator, false);
        }
        if (IsWordStart(c))
        {
            var start = i;
            while (i < s.Length && IsWordPart(s[i])) i++;
            if (At(s, i) == '\'' && IsStringPrefix(s.AsSpan(start, i - start)))
            {
                var escaped = i - start == 1 && s[start] is 'e' or 'E';
                return (SqlTokenKind.String, !ScanQuoted(s, ref i, '\'', escaped));
            }
            if (i - start == 1 && s[start] is 'u' or 'U' && At(s, i) == '&' && At(s, i + 1) is '\'' or '"')
            {
                i++;
                var quote = s[i];
                var closed = ScanQuoted(s, ref i, quote, backslashEscapes: false);
                return (quote == '"' ? SqlTokenKind.QuotedIdentifier : SqlTokenKind.String, !closed);
            }
            return (SqlTokenKind.Word, false);
        }
        if (char.IsAsciiDigit(c) || c == '.' && char.IsAsciiDigit(At(s, i + 1)))
        {
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '_'))
                i++;
            if (At(s, i) == '.' && At(s, i + 1) != '.')
            {
                i++;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                    i++;
            }
            if (
                At(s, i) is 'e' or 'E'
                && (char.IsAsciiDigit(At(s, i + 1)) || At(s, i + 1) is '+' or '-' && char.IsAsciiDigit(At(s, i + 2)))
            )
            {
                i += 2;
                while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            }
            return (SqlTokenKind.Number, false);
        }
        if (c == ':' && At(s, i + 1) == ':') { i += 2; return (SqlTokenKind.Operator, false); }
        if ("()[],;:.".Contains(c)) { i++; return (SqlTokenKind.Punctuation, false); }
        if (OperatorChars.Contains(c))
        {
            i++;
            // An operator ends where a comment starts.
            while (
                i < s.Length
                && OperatorChars.Contains(s[i])
                && !(s[i] == '-' && At(s, i + 1) == '-')
                && !(s[i] == '/' && At(s, i + 1) == '*')
            )
                i++;
            return (SqlTokenKind.Operator, false);
        }
        i++;
        return (SqlTokenKind.Operator, false);
    }

    private static char At(string s, int index) => index < s.Length ? s[index] : '\0';

    private static bool IsWordStart(char c) =>
        char.IsAsciiLetter(c) || c == '_' || c >= '\u0080' && !char.IsWhiteSpace(c);

    private static bool IsWordPart(char c) => IsWordStart(c) || char.IsAsciiDigit(c) || c == '$';

    private static bool IsStringPrefix(ReadOnlySpan<char> word) =>
        word.Length == 1 && word[0] is 'e' or 'E' or 'b' or 'B' or 'x' or 'X' or 'n' or 'N';

    /// <summary>Length of a dollar-quote opening tag ($$ or $tag$) at <paramref name="i"/>, or 0.</summary>
    private static int DollarTagLength(string s, int i)
    {
        var j = i + 1;
        if (j < s.Length && IsWordStart(s[j]))
            while (j < s.Length && (IsWordStart(s[j]) || char.IsAsciiDigit(s[j]))) j++;
        return At(s, j) == '$' ? j - i + 1 : 0;
    }

    private static bool ScanBlockComment(string s, ref int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            if (s[i] == '/' && At(s, i + 1) == '*') { depth++; i += 2; }
            else if (s[i] == '*' && At(s, i + 1) == '/') { depth--; i += 2; if (depth == 0) return true; }
            else i++;
        }
        return false;
    }

    /// <summary>From the opening quote at <paramref name="i"/> to just after the closing one.</summary>
    private static bool ScanQuoted(string s, ref int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < s.Length)
        {
            var c = s[i];
            if (backslashEscapes && c == '\\') { i += 2; continue; }
            if (c == quote)
            {
                if (At(s, i + 1) == quote) { i += 2; continue; }
                i++;
                return true;
            }
            i++;
        }
        i = Math.Min(i, s.Length);
        return false;
    }
}
