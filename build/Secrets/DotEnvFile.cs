namespace Build.Secrets;

/// <summary>
/// Reads a git-ignored <c>.env.&lt;env&gt;</c>: <c>KEY=value</c> lines, <c>#</c> comments, optional <c>export</c>,
/// single or double quotes (double quotes may span lines, for an SSH key, and understand \n). A malformed line is an
/// error naming the file and line, never echoing the value.
/// </summary>
public static class DotEnvFile
{
    public static Dictionary<string, string> Read(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return result;
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var eq = line.IndexOf('=');
            if (eq <= 0)
                throw new FormatException($"{path}:{i + 1}: expected KEY=value");
            var key = line[..eq].Trim();
            if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                throw new FormatException($"{path}:{i + 1}: '{key}' is not a variable name");
            var value = line[(eq + 1)..].TrimStart();
            var startLine = i + 1;
            if (value.StartsWith('"'))
            {
                var text = value[1..];
                while (!EndsWithUnescapedQuote(text))
                {
                    if (++i >= lines.Length) throw new FormatException($"{path}:{startLine}: the double-quoted value of {key} is never closed");
                    text += "\n" + lines[i];
                }
                value = text.TrimEnd()[..^1].Replace("\\n", "\n").Replace("\\\"", "\"");
            }
            else if (value.StartsWith('\''))
            {
                var end = value.IndexOf('\'', 1);
                if (end < 0) throw new FormatException($"{path}:{startLine}: the single-quoted value of {key} is never closed");
                value = value[1..end];
            }
            else
            {
                var comment = value.IndexOf(" #", StringComparison.Ordinal);
                if (comment >= 0) value = value[..comment];
                value = value.TrimEnd();
            }
            result[key] = value;
        }
        return result;
    }

    private static bool EndsWithUnescapedQuote(string text)
    {
        var t = text.TrimEnd();
        return t.EndsWith('"') && !t.EndsWith("\\\"", StringComparison.Ordinal);
    }
}
