using System.Text.RegularExpressions;
using Build.Tests.Infrastructure;

namespace Build.Tests.Host;

/// <summary>
/// The host (build/Host/) is meant to be swappable for Cake.Frosting (docs/host.md): only the tasks, the lifetime and
/// Program.cs may name it. This reads every .cs file under build/ and fails on a new use of the Build.Host namespace
/// anywhere else, so the boundary does not erode.
/// </summary>
public class HostBoundaryTests
{
    // Where the host may be named: itself, the task adapters, the lifetime and the entry point.
    private static readonly string[] AllowedFolders = ["build/Host/", "build/Tasks/"];
    private static readonly string[] AllowedFiles =
    [
        "build/BuildLifetime.cs",
        "build/BuildTaskLifetime.cs",
        "build/Program.cs",
    ];

    [Test]
    public void No_code_outside_the_host_tasks_lifetime_and_Program_names_the_host()
    {
        // Every use, listed by file and what it names: the list must stay empty.
        var uses = UsesOutsideTheBoundary().Select(use => $"{use.Key}: {string.Join(", ", use.Value)}").ToList();

        uses.Should()
            .BeEmpty(
                "only build/Host/, build/Tasks/, build/BuildLifetime.cs and build/Program.cs may use Build.Host " +
                "(issue 12): "
                    + "give the code what it needs through a type of the suite instead (as RunRequest, IFileLocated " +
                    "and "
                    + "Program.Catalog do), so that the host can be swapped for Cake.Frosting"
            );
    }

    [Test]
    public void The_scan_sees_a_use_planted_outside_the_boundary()
    {
        // The boundary test above passes on an empty list; this proves the scan would have seen a use in a real file.
        var source = File.ReadAllText(Path.Combine(Require.RepositoryRoot, "build", "BuildContext.cs"))
            .Replace("namespace Build;", "using Build.Host;\nnamespace Build;");
        HostUses(source, HostTypeNames()).Should().Contain("namespace");
    }

    [TestCase("using Build.Host;", "namespace")]
    [TestCase("global using Build.Host;", "namespace")]
    [TestCase("using static Build.Host.HelpText;", "HelpText")]
    [TestCase("using Catalog = Build.Host.TaskCatalog;", "TaskCatalog")]
    [TestCase("class E : Exception, Build.Host.IFileLocated { }", "IFileLocated")]
    [TestCase("class E : global::Build.Host.IFileLocated { }", "IFileLocated")]
    [TestCase("namespace Build.Deploy; class D { Host.CommandLine? c; }", "CommandLine")]
    [TestCase("namespace Build.Host;", "namespace")]
    [TestCase("class C { TaskCatalog? c; }", "TaskCatalog")]
    [TestCase("[TaskName(\"X\")] class C { }", "TaskNameAttribute")]
    [TestCase("class C : FrostingContext { }", "FrostingContext")]
    public void The_scanner_finds_each_way_of_naming_the_host(string source, string expected)
    {
        HostUses(source, HostTypeNames()).Should().Contain(expected);
    }

    [TestCase("// Build.Host.TaskCatalog reads the attributes")]
    [TestCase("/// <see cref=\"Build.Host.CommandLine\"/> in a comment")]
    [TestCase("var host = new DeployHost(); host.CommandLine = x;")]
    [TestCase("namespace Build.Hosting;")]
    [TestCase("var m = \"a TaskCatalog in a message\";")]
    [TestCase("var m = $\"\"\"{x} CommandLine\"\"\";")]
    public void The_scanner_ignores_comments_and_look_alikes(string source)
    {
        HostUses(source, HostTypeNames()).Should().BeEmpty();
    }

    /// <summary>Relative path (with '/') of each .cs file outside the boundary that names the host, and what it
    /// names.</summary>
    private static Dictionary<string, List<string>> UsesOutsideTheBoundary()
    {
        var root = Require.RepositoryRoot;
        var typeNames = HostTypeNames();
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var path in SourceFiles(Path.Combine(root, "build")))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (AllowedFolders.Any(relative.StartsWith) || AllowedFiles.Contains(relative)) continue;
            var uses = HostUses(File.ReadAllText(path), typeNames);
            if (uses.Count > 0) result[relative] = uses;
        }
        return result;
    }

    private static IEnumerable<string> SourceFiles(string buildFolder) =>
        Directory.EnumerateFiles(buildFolder, "*.cs", SearchOption.AllDirectories)
            .Where(p => !Regex.IsMatch(p.Replace('\\', '/'), "/(bin|obj)/"));

    private static readonly Regex TypeDeclaration =
        new(@"\b(?:class|interface|record|struct|enum)\s+(?<name>[A-Z]\w*)", RegexOptions.Compiled);

    /// <summary>The names of the types declared in build/Host/, to recognise `Host.X` written from inside
    /// Build.*.</summary>
    private static IReadOnlySet<string> HostTypeNames() =>
        SourceFiles(Path.Combine(Require.RepositoryRoot, "build", "Host"))
            .SelectMany(p =>
                TypeDeclaration.Matches(StripComments(File.ReadAllText(p))).Select(m => m.Groups["name"].Value)
            )
            .ToHashSet(StringComparer.Ordinal);

    private static readonly Regex NamespaceUse = new(
        @"(?:\busing\s+(?:static\s+)?(?:\w+\s*=\s*)?(?:global::)?Build\.Host\s*;|\bnamespace\s+Build\.Host\b(?!\.))",
        RegexOptions.Compiled
    );

    private static readonly Regex QualifiedUse = new(
        @"(?<![\w.])(?:global::)?(?:Build\.)?Host\.(?<name>[A-Z]\w*)",
        RegexOptions.Compiled
    );

    // A bare type name (the build project has `global using Build.Host;`): not after a dot, so a member of the same
    // name (host.CommandLine) is not one. An attribute is also named without its suffix ([TaskName]).
    private static readonly Regex Identifier = new(@"(?<![\w.])(?<name>[A-Z]\w*)\b", RegexOptions.Compiled);

    /// <summary>What a source names of the host: "namespace" for a using or declaration, else each type it
    /// qualifies.</summary>
    internal static List<string> HostUses(string source, IReadOnlySet<string> hostTypeNames)
    {
        var code = StripStrings(StripComments(source));
        var uses = new SortedSet<string>(StringComparer.Ordinal);
        if (NamespaceUse.IsMatch(code)) uses.Add("namespace");
        foreach (Match match in QualifiedUse.Matches(code))
        {
            var name = match.Groups["name"].Value;
            // `Build.Host.X` always names the host; a bare `Host.X` only when X is one of its types.
            var fullyQualified = match.Value.Contains("Build.", StringComparison.Ordinal);
            if (fullyQualified || hostTypeNames.Contains(name)) uses.Add(name);
        }
        foreach (Match match in Identifier.Matches(code))
        {
            var name = match.Groups["name"].Value;
            if (hostTypeNames.Contains(name)) uses.Add(name);
            else if (hostTypeNames.Contains(name + "Attribute")) uses.Add(name + "Attribute");
        }
        return [.. uses];
    }

    // Line and block comments (XML docs included).
    private static string StripComments(string source) =>
        Regex.Replace(source, @"//[^\n]*|/\*.*?\*/", "", RegexOptions.Singleline);

    // String literals (raw, verbatim, plain): a message may name a type ("CommandLine") without using it.
    private static string StripStrings(string code) =>
        Regex.Replace(
            code,
            @"'(?:\\.|[^'\\\n])'|""""""[\s\S]*?""""""|@""(?:[^""]|"""")*""|""(?:\\.|[^""\\\n])*""",
            "\"\""
        );
}
