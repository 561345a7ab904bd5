using System.Text.RegularExpressions;
using Build.Host;
using Build.Tests.Infrastructure;

namespace Build.Tests.Host;

/// <summary>
/// Every ./build.sh command in README.md and docs/*.md is one the suite accepts: its target exists and every argument
/// is one that target's tasks declare, with a value of the declared type. A renamed target or argument fails here,
/// not in the hands of whoever copies the command.
/// </summary>
public class DocumentedCommandTests
{
    private static readonly TaskCatalog Catalog = TaskCatalog.FromAssembly(typeof(Build.Program).Assembly);

    // From ./build.sh to the end of the code span, the comment or the line.
    private static readonly Regex Command = new(@"\./build\.(?:sh|ps1)(?<args>[^`#|\n]*)");

    public static IEnumerable<TestCaseData> Commands()
    {
        var files = Directory
            .GetFiles(Path.Combine(Require.RepositoryRoot, "docs"), "*.md")
            .Prepend(Path.Combine(Require.RepositoryRoot, "README.md"));
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                foreach (Match match in Command.Matches(lines[i]))
                {
                    var words = Words(match.Groups["args"].Value);
                    // Prose about the syntax itself (--target=..., --target=X) is not a command.
                    if (words.Any(w => Regex.IsMatch(w, @"^--target=(\.\.\.|X|NAME)$"))) continue;
                    var where = $"{Path.GetRelativePath(Require.RepositoryRoot, file)}:{i + 1}";
                    yield return new TestCaseData(where, words).SetName(
                        $"{where} ./build.sh {string.Join(' ', words)}"
                    );
                }
        }
    }

    [TestCaseSource(nameof(Commands))]
    public void Is_accepted_by_the_suite(string where, string[] words)
    {
        var act = () =>
        {
            var line = CommandLine.Parse(words, Program.CommandLineDefinition);
            var target =
                Catalog.Find(line.Target) ?? throw new CommandLineException($"Unknown target '{line.Target}'.");
            ArgumentCheck.Check(line, Catalog, target);
        };
        act.Should().NotThrow($"{where} documents ./build.sh {string.Join(' ', words)}");
    }

    [Test]
    public void The_docs_hold_commands_to_check() => Commands().Count().Should().BeGreaterThan(50);

    /// <summary>Shell words, quotes removed; a placeholder such as &lt;sha&gt; or ... stays a word.</summary>
    private static string[] Words(string text)
    {
        var words = new List<string>();
        foreach (Match m in Regex.Matches(text.Trim(), @"(?:\$\([^)]*\)|""[^""]*""|'[^']*'|[^\s""'])+"))
        {
            // A sentence may end right after a command.
            var word = m.Value.Replace("\"", "").Replace("'", "");
            if (!word.EndsWith("...", StringComparison.Ordinal)) word = word.TrimEnd('.', ',', ':');
            if (word is "&&" or ";" or "\\" or "...") break;
            words.Add(word);
        }
        return words.ToArray();
    }
}
