namespace Build.Ci;

/// <summary>Where CI-specific output goes: GitHub Actions groups, annotations and the step summary, or nothing
/// locally.</summary>
public interface ICiReporter
{
    bool IsGitHubActions { get; }
    void BeginGroup(string title);
    void EndGroup();
    /// <summary>An error annotation (GitHub) pointing at a file and line where there is one.</summary>
    void Error(string message, string? file = null, int? line = null, int? column = null, string? title = null);
    void Warning(string message, string? file = null, int? line = null, int? column = null, string? title = null);
    /// <summary>Markdown appended to the job summary ($GITHUB_STEP_SUMMARY).</summary>
    void Summary(string markdown);
}
