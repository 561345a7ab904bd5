using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Build.Packaging;
using Build.Tests.Infrastructure;

namespace Build.Tests.Packaging;

/// <summary>
/// PackageApp --env=X gives the build X's public Supabase values (Next.js inlines them into the browser bundle), the
/// manifest records X and its project, and DeployVps refuses an artifact built for another project. The build command
/// here is a shell line that writes what it received where a bundle would; the real Next.js build is in NextAppTests.
/// </summary>
[TestFixture]
public sealed class PerEnvironmentBuildTests
{
    private const string StagingRef = "rvjmwwvkhglcuqwcznph";
    private const string ProductionRef = "iyeueszchbvlutlcmvcb";
    private NextStandaloneFixture _app = null!;
    private string _config = null!;
    private string _configFolder = null!;

    [SetUp]
    public void SetUp()
    {
        _app = new NextStandaloneFixture();
        _configFolder = Directory.CreateTempSubdirectory("per-env-build-").FullName;
        _config = TestConfiguration.Write(
            _configFolder,
            json =>
            {
                json["project"]!["app"] = new JsonObject
                {
                    ["path"] = _app.Root,
                    ["buildCommand"] =
                        "mkdir -p .next/standalone .next/static/chunks && echo ok > .next/standalone/server.js && "
                        + "printf 'const url=\"%s\",key=\"%s\";' \"$NEXT_PUBLIC_SUPABASE_URL\" " +
                        "\"$NEXT_PUBLIC_SUPABASE_ANON_KEY\" > .next/static/chunks/page.js",
                    ["pack"] = new JsonObject
                    {
                        [".next/standalone"] = ".",
                        [".next/static"] = ".next/static",
                        ["public"] = "public",
                    },
                };
            }
        );
    }

    [TearDown]
    public void TearDown()
    {
        _app.Dispose();
        Directory.Delete(_configFolder, recursive: true);
    }

    private static Dictionary<string, string> Secrets(string prefix, string projectRef) => new()
    {
        [$"{prefix}_SUPABASE_URL"] = $"https://{projectRef}.supabase.co",
        [$"{prefix}_SUPABASE_ANON_KEY"] = TestJwt.Supabase(projectRef, "anon"),
    };

    private Task<SuiteRun.Result> Package(string environment, Dictionary<string, string> variables) =>
        SuiteRun.RunAsync(
            variables,
            $"--config={_config}",
            "--target=PackageApp",
            $"--env={environment}",
            $"--output={_app.OutputDirectory}"
        );

    private static string Entry(string artifact, string name)
    {
        using var gzip = new GZipStream(File.OpenRead(artifact), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
            if (
                (entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name) == name
                && entry.DataStream is { } data
            )
                return new StreamReader(data).ReadToEnd();
        throw new AssertionException($"{name} is not in {artifact}");
    }

    [Test]
    public async Task Staging_is_built_with_stagings_values_and_its_manifest_names_staging_and_its_project()
    {
        var variables = Secrets("STAGING", StagingRef).Concat(Secrets("PROD", ProductionRef)).ToDictionary();

        var run = await Package("staging", variables);

        run.ExitCode.Should().Be(0, run.All);
        var artifact = Path.Combine(_app.OutputDirectory, $"muva-chat-staging-{_app.Commit[..7]}.tar.gz");
        var bundle = Entry(artifact, ".next/static/chunks/page.js");
        bundle.Should().Contain($"https://{StagingRef}.supabase.co").And.Contain(TestJwt.Supabase(StagingRef, "anon"))
            .And.NotContain(ProductionRef);
        var manifest = JsonNode.Parse(Entry(artifact, "manifest.json"))!;
        manifest["environment"]!.GetValue<string>().Should().Be("staging");
        manifest["supabaseProjectRef"]!.GetValue<string>().Should().Be(StagingRef);
        manifest["format"]!.GetValue<int>().Should().Be(ReleaseManifest.CurrentFormat);
        run.All.Should()
            .NotContain(TestJwt.Supabase(StagingRef, "anon"), "the anon key is inlined in the bundle, never printed");
    }

    [Test]
    public async Task An_environment_with_a_project_refuses_to_build_without_its_url_and_anon_key_naming_them()
    {
        var run = await Package("staging", Secrets("PROD", ProductionRef));

        run.ExitCode.Should().NotBe(0);
        run.All.Should()
            .Contain("STAGING_SUPABASE_URL and STAGING_SUPABASE_ANON_KEY are not set")
            .And.Contain(StagingRef);
        Directory.Exists(_app.OutputDirectory).Should().BeFalse("nothing is built or packed");
    }

    [Test]
    public async Task A_url_of_another_project_is_refused_before_building()
    {
        var variables = Secrets("STAGING", StagingRef);
        variables["STAGING_SUPABASE_URL"] = $"https://{ProductionRef}.supabase.co";

        var run = await Package("staging", variables);

        run.ExitCode.Should().NotBe(0);
        run.All.Should()
            .Contain(
                $"STAGING_SUPABASE_URL points at Supabase project {ProductionRef}, but 'staging' is configured for " +
                $"{StagingRef}"
            );
    }

    [Test]
    public async Task DeployVps_refuses_an_artifact_built_for_another_project_naming_both_before_touching_a_host()
    {
        var built = await Package("production", Secrets("PROD", ProductionRef));
        built.ExitCode.Should().Be(0, built.All);
        var artifact = Path.Combine(_app.OutputDirectory, $"muva-chat-production-{_app.Commit[..7]}.tar.gz");

        // A host on a port where nothing listens: a run that got as far as connecting would say so.
        var variables = Secrets("STAGING", StagingRef);
        variables["STAGING_VPS_HOST"] = "127.0.0.1";
        variables["STAGING_VPS_USER"] = "deploy";
        variables["STAGING_VPS_SSH_KEY"] = "not a key: never read";
        var run = await SuiteRun.RunAsync(
            variables,
            $"--config={_config}",
            "--target=DeployVps",
            "--env=staging",
            $"--artifact={artifact}"
        );

        run.ExitCode.Should().NotBe(0);
        run.All.Should()
            .Contain(
                $"was built for 'production' (Supabase project {ProductionRef}), but 'staging' uses Supabase project " +
                $"{StagingRef}"
            )
            .And.Contain("./build.sh --target=PackageApp --env=staging")
            .And.NotContain("connect", "nothing reached a host")
            .And.NotContain("Deploying ");
    }

    [Test]
    public void An_artifact_without_an_environment_in_its_manifest_is_refused()
    {
        var staging = new Build.Configuration.EnvironmentSettings
        {
            Name = "staging",
            SecretPrefix = "STAGING",
            SupabaseProjectRef = StagingRef,
        };
        var old = new ReleaseArtifact(
            "/tmp/muva-chat-1a2b3c4.tar.gz",
            new string('0', 64),
            "1a2b3c4",
            DateTimeOffset.UtcNow
        );

        var act = () => ArtifactEnvironmentCheck.EnsureBuiltFor(old, staging);

        act.Should()
            .Throw<InvalidOperationException>()
            .WithMessage("*does not say which environment it was built for*--env=staging*");
        var local = new Build.Configuration.EnvironmentSettings { Name = "local", SecretPrefix = "LOCAL" };
        var forLocal = old with { Environment = "local", RecordsTarget = true };
        ArtifactEnvironmentCheck.EnsureBuiltFor(forLocal, local);
        var toStaging = () => ArtifactEnvironmentCheck.EnsureBuiltFor(forLocal, staging);
        toStaging
            .Should()
            .Throw<InvalidOperationException>()
            .WithMessage(
                $"*built for 'local' (Supabase project none), but 'staging' uses Supabase project {StagingRef}*"
            );
    }
}
