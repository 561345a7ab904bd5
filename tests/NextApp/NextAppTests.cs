using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Build.Packaging;

namespace Build.Tests.NextApp;

/// <summary>The real examples/next-app built by PackageApp --env=staging: its browser bundle talks to staging only.
/// (Its deploy over the loopback rig is Deploy.NextAppDeployTests.)</summary>
[TestFixture]
public sealed class NextAppTests
{
    private static Dictionary<string, string> Entries(string artifact, Func<string, bool> wanted)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        using var gzip = new GZipStream(File.OpenRead(artifact), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (entry.DataStream is { } data && wanted(name))
                found[name] = new StreamReader(data, Encoding.UTF8).ReadToEnd();
        }
        return found;
    }

    [Test]
    public async Task The_staging_artifacts_browser_bundle_holds_stagings_supabase_url_and_key_and_nothing_of_production()
    {
        var artifact = await NextAppBuild.StagingArtifactAsync();

        artifact.Environment.Should().Be("staging");
        artifact.SupabaseProjectRef.Should().Be(NextAppBuild.StagingRef);
        var bundle = Entries(
            artifact.Path,
            n => n.StartsWith(".next/static/", StringComparison.Ordinal) && n.EndsWith(".js", StringComparison.Ordinal)
        );
        bundle.Should().NotBeEmpty("next build writes the browser chunks to .next/static");
        var all = string.Join("\n", bundle.Values);
        all.Should()
            .Contain(NextAppBuild.StagingUrl, "Next.js inlines NEXT_PUBLIC_SUPABASE_URL into the page's client chunk")
            .And.Contain(NextAppBuild.StagingAnonKey)
            .And.NotContain(
                NextAppBuild.ProductionRef,
                "production's values were in the environment, not in staging's build"
            );
        var files = Entries(artifact.Path, n => n is "server.js" or "public/logo.svg" or "manifest.json");
        files
            .Keys.Should()
            .BeEquivalentTo(
                ["server.js", "public/logo.svg", "manifest.json"],
                "a standalone release: server.js, public/ and the manifest at its root"
            );
    }
}
