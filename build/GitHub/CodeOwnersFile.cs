using System.Text;

namespace Build.GitHub;

/// <summary><c>.github/CODEOWNERS</c> as the configuration wants it: one line per pattern, in order.</summary>
public static class CodeOwnersFile
{
    public const string RelativePath = ".github/CODEOWNERS";

    public static string Render(IReadOnlyDictionary<string, List<string>> owners)
    {
        var text = new StringBuilder(
            "# Written by ./build.sh --target=ConfigureGitHub --apply from build/environments.json " +
            "(github.codeOwners).\n"
        );
        foreach (var (pattern, who) in owners)
            text.Append(pattern).Append(' ').Append(string.Join(' ', who)).Append('\n');
        return text.ToString();
    }
}
