using System.ComponentModel;
using Build.Processes;

namespace Build.Secrets;

/// <summary>Asks git whether a secrets file is tracked. Outside a git checkout, or without git, nothing is known and
/// nothing is refused.</summary>
public static class SecretFileTracking
{
    public static void RefuseIfTracked(string repositoryRoot, string fileName)
    {
        if (IsTracked(repositoryRoot, fileName)) throw new TrackedSecretFileException(fileName);
    }

    public static bool IsTracked(string repositoryRoot, string fileName) =>
        TrackedFiles(repositoryRoot, fileName).Contains(fileName);

    /// <summary>Every tracked secrets file at the repository's root: <c>.env</c> and <c>.env.*</c> but the templates.
    /// A committed <c>.env.production</c> is an incident even when the run is for another environment.</summary>
    public static IReadOnlyList<string> TrackedSecretFiles(string repositoryRoot) =>
        TrackedFiles(repositoryRoot, ".env", ".env.*")
            .Where(f => !f.Contains('/') && !f.EndsWith(".template", StringComparison.Ordinal))
            .ToList();

    private static IReadOnlyList<string> TrackedFiles(string repositoryRoot, params string[] patterns)
    {
        // .git is a folder in a clone and a file in a worktree.
        var dotGit = Path.Combine(repositoryRoot, ".git");
        if (!Directory.Exists(dotGit) && !File.Exists(dotGit)) return [];
        if (ExecutableSearch.OnPath("git") is not { } git) return [];
        var lines = new List<string>();
        try
        {
            var code = ChildProcess
                .RunAsync(git, ["ls-files", "--cached", "--", .. patterns], repositoryRoot, lines.Add)
                .GetAwaiter()
                .GetResult();
            // A failing git (not a repository, dubious ownership) says nothing about the files.
            return code == 0 ? lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList() : [];
        }
        catch (Win32Exception)
        {
            return [];
        }
    }
}
