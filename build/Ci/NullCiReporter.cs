namespace Build.Ci;

/// <summary>Outside GitHub Actions: annotations are already printed as log lines by the tasks; nothing more to
/// do.</summary>
public sealed class NullCiReporter : ICiReporter
{
    public static readonly NullCiReporter Instance = new();
    public bool IsGitHubActions => false;
    public void BeginGroup(string title) { }
    public void EndGroup() { }

    public void Error(
        string message,
        string? file = null,
        int? line = null,
        int? column = null,
        string? title = null
    ) { }

    public void Warning(
        string message,
        string? file = null,
        int? line = null,
        int? column = null,
        string? title = null
    ) { }

    public void Summary(string markdown) { }
}
