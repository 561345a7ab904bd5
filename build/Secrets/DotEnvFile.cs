using System.Text;

namespace Build.Secrets;

/// <summary>
/// Reads a git-ignored <c>.env.&lt;env&gt;</c>: <c>KEY=value</c> lines, <c>#</c> comments (also after a value, quoted
/// or not), optional <c>export</c>, single or double quotes (double quotes may span lines, for an SSH key, and
/// understand \n, \" and \\). A malformed line is a <see cref="DotEnvFormatException"/> naming the file, the line
/// and the variable, never echoing the value.
/// </summary>
public static class DotEnvFile
{
    /// <param name="displayName">How messages name the file (".env.staging"); the path by default.</param>
    public static Dictionary<string, string> Read(string path, string? displayName = null)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in ReadEntries(path, displayName)) result[entry.Key] = entry.Value;
        return result;
    }

    /// <summary>Every assignment in file order (a name given twice appears twice; the last one wins in <see cref="Read"/>).</summary>
    public static IReadOnlyList<DotEnvEntry> ReadEntries(string path, string? displayName = null)
    {
        if (!File.Exists(path)) return [];
        return Parse(File.ReadAllLines(path), displayName ?? path);
    }

    public static IReadOnlyList<DotEnvEntry> Parse(IReadOnlyList<string> lines, string file)
    {
        var entries = new List<DotEnvEntry>();
        for (var i = 0; i < lines.Count; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].Trim().TrimStart('\uFEFF');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();

            var nameLength = 0;
            while (nameLength < line.Length && (char.IsAsciiLetterOrDigit(line[nameLength]) || line[nameLength] == '_')) nameLength++;
            var key = line[..nameLength];
            // Only a name that looks like one is printed: a stray line may be a pasted secret, and its start is part of it.
            var shown = LooksLikeVariable(key) ? key : null;
            if (nameLength == 0 || char.IsAsciiDigit(key[0]))
                throw new DotEnvFormatException(file, lineNumber, null, "expected NAME=value; this line does not start with a variable name (its text is not shown: it may be a secret)");
            var rest = line[nameLength..];
            var afterSpaces = rest.TrimStart(' ', '\t');
            if (!afterSpaces.StartsWith('='))
            {
                var problem = afterSpaces.StartsWith(':') ? "written as NAME: value; expected NAME=value"
                    : afterSpaces.Length == 0 ? "has no '='; expected NAME=value"
                    : rest.Length > afterSpaces.Length ? "a space follows the name where '=' belongs; expected NAME=value"
                    : "the name is followed by a character that cannot be part of a name; expected NAME=value";
                if (shown is null) problem += " (the text is not shown: it may be a secret)";
                throw new DotEnvFormatException(file, lineNumber, shown, problem);
            }
            var value = afterSpaces[1..].TrimStart(' ', '\t');

            if (value.StartsWith('"'))
            {
                // A double-quoted value may continue on the following lines until its closing quote.
                var text = new StringBuilder(value[1..]);
                int close;
                while ((close = ClosingQuote(text)) < 0)
                {
                    if (++i >= lines.Count)
                        throw new DotEnvFormatException(file, lineNumber, key, "the double-quoted value is never closed (add the closing \")");
                    text.Append('\n').Append(lines[i]);
                }
                RequireOnlyComment(text.ToString()[(close + 1)..], file, i + 1, key);
                value = Unescape(text.ToString(0, close));
            }
            else if (value.StartsWith('\''))
            {
                var close = value.IndexOf('\'', 1);
                if (close < 0) throw new DotEnvFormatException(file, lineNumber, key, "the single-quoted value is never closed (add the closing ')");
                RequireOnlyComment(value[(close + 1)..], file, lineNumber, key);
                value = value[1..close];
            }
            else
            {
                var comment = IndexOfComment(value);
                if (comment >= 0) value = value[..comment];
                value = value.TrimEnd();
            }
            entries.Add(new DotEnvEntry(key, value, lineNumber));
        }
        return entries;
    }

    /// <summary>Names the suite reads are upper case (STAGING_DATABASE_URL); anything else is not echoed.</summary>
    private static bool LooksLikeVariable(string name) =>
        name.Length is > 0 and <= 64 && (char.IsAsciiLetterUpper(name[0]) || name[0] == '_') &&
        name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_') && name.Contains('_');

    private static void RequireOnlyComment(string after, string file, int line, string key)
    {
        var rest = after.Trim();
        if (rest.Length > 0 && !rest.StartsWith('#'))
            throw new DotEnvFormatException(file, line, key, "text follows the closing quote; only a # comment may follow a quoted value");
    }

    /// <summary>A # starts a comment in an unquoted value when it follows a space (a password may contain #).</summary>
    private static int IndexOfComment(string value)
    {
        for (var i = 1; i < value.Length; i++)
            if (value[i] == '#' && value[i - 1] is ' ' or '\t') return i;
        return -1;
    }

    /// <summary>The index of the first double quote not escaped by a backslash, or -1.</summary>
    private static int ClosingQuote(StringBuilder text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == '"') return i;
        }
        return -1;
    }

    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                var next = text[i + 1];
                switch (next)
                {
                    case 'n': result.Append('\n'); i++; continue;
                    case '"': result.Append('"'); i++; continue;
                    case '\\': result.Append('\\'); i++; continue;
                }
            }
            result.Append(text[i]);
        }
        return result.ToString();
    }
}
