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
            var raw = afterSpaces[1..];
            var value = raw.TrimStart(' ', '\t');

            if (value.StartsWith('"'))
            {
                // A double-quoted value may continue on the following lines until its closing quote.
                var text = new StringBuilder(value[1..]);
                int close;
                string? unquoted = null;
                while ((close = ReadDoubleQuoted(text, out unquoted)) < 0)
                {
                    if (++i >= lines.Count)
                        throw new DotEnvFormatException(file, lineNumber, key, "the double-quoted value is never closed (add the closing \")");
                    text.Append('\n').Append(lines[i]);
                }
                RequireOnlyComment(text.ToString()[(close + 1)..], file, i + 1, key);
                value = unquoted!;
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
                // Searched in the text as written after '=', so that "NAME= # note" is an empty value with a comment.
                var comment = IndexOfComment(raw);
                value = (comment >= 0 ? raw[..comment] : raw).Trim();
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

    /// <summary>Reads a double-quoted value up to its first quote not escaped by a backslash: returns the quote's index
    /// and the value with \n, \" and \\ unescaped (any other backslash stays as written); -1 and null while the text has
    /// no closing quote yet.</summary>
    private static int ReadDoubleQuoted(StringBuilder text, out string? value)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                value = result.ToString();
                return i;
            }
            if (c == '\\' && i + 1 < text.Length)
            {
                var next = text[++i];
                result.Append(next switch { 'n' => "\n", '"' => "\"", '\\' => "\\", _ => "\\" + next });
            }
            else result.Append(c);
        }
        value = null;
        return -1;
    }
}
