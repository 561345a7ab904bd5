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

    public static bool IsTracked(string repositoryRoot, string fileName)
    {
        // .git is a folder in a clone and a file in a worktree.
        var dotGit = Path.Combine(repositoryRoot, ".git");
        if (!Directory.Exists(dotGit) && !File.Exists(dotGit)) return false;
        if (ExecutableSearch.OnPath("git") is not { } git) return false;
        var lines = new List<string>();
        try
        {
            var code = ChildProcess.RunAsync(git, ["ls-files", "--cached", "--", fileName], repositoryRoot, lines.Add)
                .GetAwaiter().GetResult();
            // A failing git (not a repository, dubious ownership) says nothing about the file.
            return code == 0 && lines.Any(l => l.Trim() == fileName);
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}
