namespace Build.Ci;

/// <summary>
/// GitHub Actions workflow commands: collapsible groups, error/warning annotations with file and line, and the job
/// summary. It is created before the run masks the console, and the summary is a file the console never sees: so
/// every text it writes goes through <paramref name="mask"/> itself.
/// </summary>
public sealed class GitHubActionsReporter(TextWriter output, string? summaryPath, Func<string, string> mask)
    : ICiReporter
{
    private readonly object _gate = new();
    private bool _inGroup;

    public bool IsGitHubActions => true;

    public static bool IsRunningOnGitHubActions(Func<string, string?> env) =>
        string.Equals(env("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);

    public void BeginGroup(string title)
    {
        lock (_gate)
        {
            // Groups don't nest in GitHub's log viewer: close an open one first.
            if (_inGroup) output.WriteLine("::endgroup::");
            output.WriteLine($"::group::{EscapeData(mask(title))}");
            output.Flush();
            _inGroup = true;
        }
    }

    public void EndGroup()
    {
        lock (_gate)
        {
            if (!_inGroup) return;
            output.WriteLine("::endgroup::");
            output.Flush();
            _inGroup = false;
        }
    }

    public void Error(
        string message,
        string? file = null,
        int? line = null,
        int? column = null,
        string? title = null
    ) => Annotate("error", message, file, line, column, title);

    public void Warning(
        string message,
        string? file = null,
        int? line = null,
        int? column = null,
        string? title = null
    ) => Annotate("warning", message, file, line, column, title);

    public void Summary(string markdown)
    {
        if (string.IsNullOrEmpty(summaryPath))
            return;
        lock (_gate)
            File.AppendAllText(summaryPath, mask(markdown).TrimEnd() + Environment.NewLine + Environment.NewLine);
    }

    private void Annotate(string level, string message, string? file, int? line, int? column, string? title)
    {
        var properties = new List<string>();
        if (!string.IsNullOrEmpty(file)) properties.Add($"file={EscapeProperty(mask(file))}");
        if (line is { } l) properties.Add($"line={l}");
        if (column is { } c) properties.Add($"col={c}");
        if (!string.IsNullOrEmpty(title)) properties.Add($"title={EscapeProperty(mask(title))}");
        lock (_gate)
        {
            output.WriteLine(
                $"::{level}{(properties.Count > 0 ? " " + string.Join(',', properties) : "")}::" +
                $"{EscapeData(mask(message))}"
            );
            output.Flush();
        }
    }

    // Escaping as the runner's toolkit defines it: % CR LF in data, plus : and , in properties.
    public static string EscapeData(string s) => s.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
    public static string EscapeProperty(string s) => EscapeData(s).Replace(":", "%3A").Replace(",", "%2C");
}
