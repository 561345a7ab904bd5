using Build.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Build.Tests.Structure;

/// <summary>
/// One public type per file under build/ (issue 12): a newcomer finds a type by its file name. The files are parsed
/// with Roslyn, so strings, comments and nested types cannot fool the count. A generic type and its non-generic
/// namesake (FrostingTask and FrostingTask&lt;T&gt;) count as one, as the .NET libraries keep them together.
/// </summary>
public class OnePublicTypePerFileTests
{
    // Files allowed more than one public type, each with its reason. Keep it empty: split the file instead.
    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.Ordinal)
    {
    };

    [Test]
    public void No_file_under_build_declares_more_than_one_public_top_level_type()
    {
        var crowded = SourceFiles()
            .Select(file =>
                (
                    File: file,
                    Types: PublicTopLevelTypes(System.IO.File.ReadAllText(Path.Combine(Require.RepositoryRoot, file)))
                )
            )
            .Where(f => f.Types.Count > 1 && !Exceptions.ContainsKey(f.File))
            .Select(f => $"{f.File}: {string.Join(", ", f.Types)}")
            .ToList();

        crowded.Should().BeEmpty("each public type lives in a file of its own name (move the others out)");
    }

    [Test]
    public void Every_exception_still_needs_its_place_so_the_list_only_shrinks()
    {
        var stale = Exceptions
            .Keys.Where(file =>
                !System.IO.File.Exists(Path.Combine(Require.RepositoryRoot, file))
                || PublicTopLevelTypes(System.IO.File.ReadAllText(Path.Combine(Require.RepositoryRoot, file))).Count
                    <= 1
            )
            .ToList();
        stale.Should().BeEmpty("these files hold one public type now: delete their lines from the exceptions");
    }

    [TestCase("namespace A; public class X { public class Nested { } } internal class Y { }", new[] { "X" })]
    [TestCase("namespace A; public class X { } public record Y(int Z);", new[] { "X", "Y" })]
    [TestCase("namespace A; public abstract class T<C> { } public abstract class T : T<object>;", new[] { "T" })]
    [TestCase(
        "namespace A; public enum E { } public interface I { } public delegate void D();",
        new[] { "E", "I", "D" }
    )]
    [TestCase("namespace A; class X { string s = \"public class Y { }\"; } // public class Z { }", new string[0])]
    public void The_count_sees_types_not_text(string source, string[] expected)
    {
        PublicTopLevelTypes(source).Should().Equal(expected);
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Require.RepositoryRoot, "build"), "*.cs", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Require.RepositoryRoot, p).Replace('\\', '/'))
            .Where(p =>
                !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal)
            )
            .Order(StringComparer.Ordinal);

    /// <summary>The distinct names of the public types declared at the top level (in a namespace, not
    /// nested).</summary>
    internal static List<string> PublicTopLevelTypes(string source)
    {
        var root = CSharpSyntaxTree
            .ParseText(source, new CSharpParseOptions(LanguageVersion.Preview))
            .GetCompilationUnitRoot();
        var topLevel = root.Members.Concat(
            root.Members.OfType<BaseNamespaceDeclarationSyntax>().SelectMany(n => n.Members)
        );
        return topLevel
            .Where(m => m.Modifiers.Any(SyntaxKind.PublicKeyword))
            .Select(m => m switch
            {
                BaseTypeDeclarationSyntax type => type.Identifier.Text,
                DelegateDeclarationSyntax @delegate => @delegate.Identifier.Text,
                _ => null,
            })
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
