using System.Text.RegularExpressions;
using Build.Tests.Infrastructure;

namespace Build.Tests.Structure;

/// <summary>
/// Lines of at most 120 characters (issue 12; .editorconfig says max_line_length = 120) in the C# of build/ and
/// tests/ and in the shell scripts of build/, bench/ and .ci/: a reader sees a whole line in a side-by-side diff.
/// Characters are counted as Unicode code points, so an emoji counts once.
/// The one exception by rule: a method declaration line that holds nothing but the name and "(" or "()" — a test
/// name reads as a sentence and cannot be wrapped. Anything else over 120 fails, except the files in
/// <see cref="KnownLongLines"/>, which may only shrink.
/// </summary>
public class LineLengthTests
{
    private const int Limit = 120;

    // Lines still over the limit per file when the rule came in: the deploy scripts (rewritten by other work at the
    // time) and migration text whose line numbers the tests assert (DatabaseReplayPlatformTests). The count may only
    // go down: wrap the lines, then lower or delete the entry (a higher count than listed fails).
    private static readonly Dictionary<string, int> KnownLongLines = new(StringComparer.Ordinal)
    {
        ["bench/deploy.sh"] = 69,
        ["build/Deploy/Steps/Scripts/lock.sh"] = 3,
        ["build/Deploy/Steps/Scripts/mark-failed-function.sh"] = 1,
        ["build/Deploy/Steps/Scripts/receive.sh"] = 2,
        ["build/Deploy/Steps/Scripts/revision.sh"] = 1,
        ["build/Deploy/Steps/Scripts/space.sh"] = 1,
        ["build/Deploy/Steps/Scripts/unpack.sh"] = 1,
        ["build/Deploy/nginx-switch.sh"] = 3,
        ["tests/Migrations/DatabaseReplayPlatformTests.cs"] = 5,
    };

    private static readonly Regex MethodNameOnly = new(
        @"^\s*(?:(?:public|private|internal|protected|static|async|override|virtual|sealed|new)\s+)*"
            + @"(?:void|Task|ValueTask|Task<[\w<>,?\[\] ]+>)\s+\w+\(\)?$",
        RegexOptions.CultureInvariant
    );

    [Test]
    public void No_line_is_longer_than_120_characters_outside_the_rule_s_exception()
    {
        var offenders = SourceFiles()
            .Select(file => (File: file, Lines: LongLines(ReadText(file)).ToList()))
            .Where(f => f.Lines.Count > KnownLongLines.GetValueOrDefault(f.File))
            .Select(f =>
                $"{f.File}: {f.Lines.Count} line(s) over {Limit} (allowed {KnownLongLines.GetValueOrDefault(f.File)}), "
                + $"first at line {f.Lines[0]}"
            )
            .ToList();

        string.Join("\n", offenders)
            .Should()
            .BeEmpty($"lines stay within {Limit} characters: wrap arguments, split long strings with +");
    }

    [Test]
    public void Every_file_with_known_long_lines_still_exists()
    {
        // Lenient on purpose: a count that went down is not an error here (lower the entry when you see it), so that
        // wrapping a line never breaks the build of someone who did not write the list.
        var gone = KnownLongLines.Keys.Where(f => !File.Exists(Path.Combine(Require.RepositoryRoot, f))).ToList();
        string.Join("\n", gone).Should().BeEmpty("these files are gone: delete their entries");
    }

    // Each line is start + 'x' repeated + end, 121 code points or more: is it counted?
    [TestCase("    public async Task A_", 100, "()", true)]
    [TestCase("    public void A_", 100, "(", true)]
    [TestCase("    internal static Task<string> A_", 100, "()", true)]
    [TestCase("    public void Name(string a, string b, string c, string d, string ", 60, ")", false)]
    [TestCase("        var x = \"", 120, "\";", false)]
    [TestCase("        // a comment ", 120, "", false)]
    public void Only_a_declaration_line_that_is_a_long_name_may_pass(string start, int pad, string end, bool allowed)
    {
        LongLines(start + new string('x', pad) + end).Should().HaveCount(allowed ? 0 : 1);
    }

    [Test]
    public void Characters_are_code_points_so_an_emoji_counts_once()
    {
        var line = "// 🔴 " + new string('x', Limit - 5);
        line.Length.Should().Be(Limit + 1, "the emoji is two UTF-16 units");
        LongLines(line).Should().BeEmpty();
        LongLines(line + "x").Should().Equal(1);
    }

    /// <summary>The 1-based numbers of the lines over the limit that the rule's exception does not cover.</summary>
    internal static IEnumerable<int> LongLines(string text) =>
        text.Split('\n')
            .Select((line, i) => (Line: line.TrimEnd('\r'), Number: i + 1))
            .Where(l => CodePoints(l.Line) > Limit && !MethodNameOnly.IsMatch(l.Line))
            .Select(l => l.Number);

    private static int CodePoints(string line) => line.EnumerateRunes().Count();

    private static string ReadText(string file) => File.ReadAllText(Path.Combine(Require.RepositoryRoot, file));

    private static IEnumerable<string> SourceFiles()
    {
        var root = Require.RepositoryRoot;
        IEnumerable<string> Under(string folder, string pattern) =>
            Directory.Exists(Path.Combine(root, folder))
                ? Directory.EnumerateFiles(Path.Combine(root, folder), pattern, SearchOption.AllDirectories)
                : [];
        return Under("build", "*.cs")
            .Concat(Under("tests", "*.cs"))
            .Concat(Under("build", "*.sh"))
            .Concat(Under("bench", "*.sh"))
            .Concat(Under(".ci", "*"))
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Where(p =>
                !p.Contains("/obj/", StringComparison.Ordinal)
                && !p.Contains("/bin/", StringComparison.Ordinal)
                && !p.Contains("/node_modules/", StringComparison.Ordinal)
            )
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
    }
}
