using System.Text.RegularExpressions;
using Build.Tests.Infrastructure;

namespace Build.Tests.NextApp;

/// <summary>docs/health-routes.md shows the health routes of examples/next-app; they cannot drift apart.</summary>
public sealed partial class HealthRoutesDocumentationTests
{
    [GeneratedRegex("```ts\\n(// (src/\\S+)\\n.*?)```", RegexOptions.Singleline)]
    private static partial Regex FileBlock();

    [Test]
    public void Every_file_block_in_the_doc_is_the_file_of_examples_next_app_byte_for_byte()
    {
        var doc = File.ReadAllText(Path.Combine(Require.RepositoryRoot, "docs", "health-routes.md"));
        var blocks = FileBlock().Matches(doc).Select(m => (Path: m.Groups[2].Value, Text: m.Groups[1].Value)).ToList();

        blocks
            .Select(b => b.Path)
            .Should()
            .BeEquivalentTo([
                "src/lib/release-info.ts",
                "src/app/api/health/route.ts",
                "src/app/api/health/db/route.ts",
            ]);
        foreach (var (path, text) in blocks)
        {
            var file = Path.Combine(NextAppBuild.AppFolder, path);
            File.Exists(file).Should().BeTrue($"docs/health-routes.md shows {path}");
            File.ReadAllText(file)
                .Should()
                .Be(text, $"docs/health-routes.md's block for {path} is examples/next-app/{path}");
        }
    }
}
