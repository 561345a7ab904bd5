namespace Build.Secrets;

/// <summary>A line of a <c>.env.&lt;env&gt;</c> file cannot be read. The message names the file, the line and (when the
/// line starts with a name the suite reads) the variable; never any of the line's text, which may be a secret.
/// Under GitHub Actions it becomes an annotation on that line.</summary>
public sealed class DotEnvFormatException(string file, int line, string? variable, string problem)
    : FormatException($"{file}:{line}: {(variable is null ? "" : variable + ": ")}{problem}"), IFileLocated
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string? Variable { get; } = variable;

    string? IFileLocated.File => File;
    int? IFileLocated.Line => Line;
    int? IFileLocated.Column => null;
}
