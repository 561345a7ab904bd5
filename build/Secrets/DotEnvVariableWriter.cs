using System.Text.RegularExpressions;

namespace Build.Secrets;

/// <summary>Rewrites one variable's line in a .env file and nothing else (comments, order and other lines kept),
/// through a file beside it that replaces it whole, with the original's mode (0600 stays 0600).</summary>
public static class DotEnvVariableWriter
{
    /// <summary>True when the file has a line for <paramref name="variable"/>.</summary>
    public static bool Holds(string path, string variable) =>
        File.Exists(path) && File.ReadAllLines(path).Any(l => LineOf(variable).IsMatch(l));

    public static void Replace(string path, string variable, string value)
    {
        var text = File.ReadAllText(path);
        var newline = text.Contains("\r\n") ? "\r\n" : "\n";
        var lines = text.Split(newline);
        var pattern = LineOf(variable);
        var index = Array.FindIndex(lines, l => pattern.IsMatch(l));
        if (index < 0) throw new InvalidOperationException($"{Path.GetFileName(path)} has no {variable}= line.");
        var match = pattern.Match(lines[index]);
        var rest = lines[index][match.Length..].TrimStart();
        var quote = rest.Length > 0 && rest[0] is '"' or '\'' ? rest[0].ToString() : "";
        lines[index] = match.Value + quote + value + quote;
        WriteAll(path, string.Join(newline, lines));
    }

    /// <summary>The whole file, as given (to put it back).</summary>
    public static void WriteAll(string path, string text)
    {
        var mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);
        var temporary = Path.Combine(
            Path.GetDirectoryName(Path.GetFullPath(path))!,
            $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp"
        );
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        try
        {
            using (var writer = new StreamWriter(temporary, new System.Text.UTF8Encoding(false), options))
                writer.Write(text);
            File.Move(temporary, path, overwrite: true);
        }
        finally { File.Delete(temporary); }
    }

    private static Regex LineOf(string variable) => new($@"^\s*(export\s+)?{Regex.Escape(variable)}\s*=\s*");
}
