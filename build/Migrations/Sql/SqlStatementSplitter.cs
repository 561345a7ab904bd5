using System.Text;

namespace Build.Migrations.Sql;

/// <summary>
/// Splits a migration file into statements exactly as the Supabase CLI (2.117.0, <c>pkg/parser</c>) does when it
/// fills <c>supabase_migrations.schema_migrations.statements</c>: on <c>;</c> outside <c>--</c>/<c>/* */</c>
/// comments, '...' and "..." quotes, <c>$tag$</c> dollar quotes, parentheses and <c>BEGIN ATOMIC ... END</c>
/// bodies; each piece keeps its comments, loses the trailing <c>;</c> and surrounding white space, and empty
/// pieces are dropped. <c>supabase migration fetch</c> rewrites files from that column and our history check
/// compares against it, so this must match the CLI byte for byte, including its quirks (documented in
/// docs/migrations-lint.md): a backslash outside quotes escapes the next character, <c>E'\''</c> is not
/// understood, the first <c>)</c> ends any parenthesis and the first <c>END</c> (even inside <c>CASE ... END</c>
/// or a word such as <c>legend</c>) ends an atomic body. For a correct lexer use <see cref="SqlLexer"/>.
/// </summary>
public static class SqlStatementSplitter
{
    public static IReadOnlyList<string> Split(string sql) => SplitWithPositions(sql).Select(s => s.Text).ToList();

    public static IReadOnlyList<SplitStatement> SplitWithPositions(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var bytes = Encoding.UTF8.GetBytes(sql);
        var statements = new List<SplitStatement>();
        var tokenStartChar = 0;
        var previousStart = 0;
        var cursor = new LineCursor(sql);
        foreach (var (start, end) in CliTokenizer.Tokens(bytes))
        {
            tokenStartChar += Encoding.UTF8.GetCharCount(bytes, previousStart, start - previousStart);
            previousStart = start;
            var token = Encoding.UTF8.GetString(bytes, start, end - start);
            // SplitAndTrim: strings.TrimRight(token, ";") then strings.TrimSpace.
            var withoutSemicolons = token.TrimEnd(';');
            var leading = 0;
            while (leading < withoutSemicolons.Length && char.IsWhiteSpace(withoutSemicolons[leading])) leading++;
            var text = withoutSemicolons.Trim();
            if (text.Length == 0) continue;
            var position = cursor.MoveTo(tokenStartChar + leading);
            statements.Add(new SplitStatement(text, position.Offset, position.Line, position.Column));
        }
        return statements;
    }
}

/// <summary>Walks forward through a text keeping the line count, so that positions cost O(distance moved).</summary>
internal sealed class LineCursor(string text)
{
    private int _offset, _line = 1, _lineStart;

    public SqlPosition MoveTo(int offset)
    {
        if (offset < _offset) { _offset = 0; _line = 1; _lineStart = 0; }
        for (; _offset < offset && _offset < text.Length; _offset++)
            if (text[_offset] == '\n') { _line++; _lineStart = _offset + 1; }
        return new SqlPosition(offset, _line, offset - _lineStart + 1);
    }
}
