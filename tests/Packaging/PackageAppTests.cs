using System.Text.Json;
using Build.Packaging;
using Build.Tests.Infrastructure;

namespace Build.Tests.Packaging;

[TestFixture]
public sealed class PackageAppTests
{
    private NextStandaloneFixture _app = null!;
    private List<string> _log = null!;

    [SetUp]
    public void SetUp()
    {
        _app = new NextStandaloneFixture();
        _log = [];
    }

    [TearDown]
    public void TearDown() => _app.Dispose();

    private PackageRequest Request(
        string buildCommand = "",
        bool skipBuild = true,
        IReadOnlyList<PackedPath>? pack = null,
        string? commit = null,
        bool allowDirty = false
    ) =>
        new(
            _app.Root,
            "fixture-app",
            buildCommand,
            pack ?? NextStandaloneFixture.NextStandalonePack,
            _app.OutputDirectory,
            skipBuild,
            commit,
            allowDirty
        );

    private Task<PackageResult> Package(PackageRequest request) =>
        new AppPackager(line =>
        {
            lock (_log)
                _log.Add(line);
        }).PackageAsync(request);

    private string ExtractWithSystemTar(string artifact)
    {
        Require.Tool("tar");
        var target = Path.Combine(_app.Root, "extracted");
        Directory.CreateDirectory(target);
        NextStandaloneFixture.Run(target, "tar", "-xzf", artifact);
        return target;
    }

    [Test]
    public async Task Puts_standalone_at_the_root_and_static_and_public_beside_it_with_modes_and_symlinks()
    {
        _app.CreateBuildOutput();

        var result = await Package(Request());

        var release = ExtractWithSystemTar(result.ArtifactPath);
        File.ReadAllText(Path.Combine(release, "server.js")).Should().Contain("createServer");
        File.Exists(Path.Combine(release, ".next/server/app/page.js"))
            .Should()
            .BeTrue("the standalone build's own .next folder is kept");
        File.Exists(Path.Combine(release, ".next/static/chunks/chunk.js"))
            .Should()
            .BeTrue(".next/static must ship or every asset 404s");
        File.Exists(Path.Combine(release, "public/logo.svg")).Should().BeTrue();
        File.GetUnixFileMode(Path.Combine(release, "node_modules/tool/bin/cli"))
            .Should()
            .HaveFlag(UnixFileMode.UserExecute);
        File.GetUnixFileMode(Path.Combine(release, "server.js")).Should().NotHaveFlag(UnixFileMode.UserExecute);
        new FileInfo(Path.Combine(release, "node_modules/.bin/cli")).LinkTarget.Should().Be("../tool/bin/cli");
        File.ReadAllText(Path.Combine(release, "node_modules/.bin/cli"))
            .Should()
            .Contain("echo tool", "the relative symlink resolves inside the release");
        Directory
            .Exists(Path.Combine(release, "standalone"))
            .Should()
            .BeFalse("'.next/standalone' => '.' packs its content, not the folder");
    }

    [Test]
    public async Task Writes_a_manifest_with_the_git_commit_first_in_the_artifact()
    {
        _app.CreateBuildOutput();

        var result = await Package(Request());

        Path.GetFileName(result.ArtifactPath).Should().Be($"fixture-app-{_app.Commit[..7]}.tar.gz");
        NextStandaloneFixture
            .Run(_app.Root, "tar", "-tzf", result.ArtifactPath)
            .Split('\n')[0]
            .Should()
            .Be("manifest.json");
        var release = ExtractWithSystemTar(result.ArtifactPath);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(release, "manifest.json")));
        var root = manifest.RootElement;
        root.GetProperty("commit").GetString().Should().Be(_app.Commit);
        root.GetProperty("shortCommit").GetString().Should().Be(_app.Commit[..7]);
        root.GetProperty("dirty").GetBoolean().Should().BeFalse();
        root.GetProperty("app").GetString().Should().Be("fixture-app");
        root.GetProperty("builtAt").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        root.GetProperty("fileCount").GetInt32().Should().Be(5);
        root.GetProperty("symlinkCount").GetInt32().Should().Be(1);
        root.GetProperty("paths")
            .EnumerateArray()
            .Select(p => p.GetProperty("source").GetString() + " => " + p.GetProperty("destination").GetString())
            .Should()
            .Equal(".next/standalone => .", ".next/static => .next/static", "public => public");
    }

    [Test]
    public async Task Writes_a_sidecar_that_sha256sum_accepts()
    {
        _app.CreateBuildOutput();
        Require.Tool("sha256sum");

        var result = await Package(Request());

        result.ChecksumPath.Should().Be(result.ArtifactPath + ".sha256");
        NextStandaloneFixture
            .Run(_app.OutputDirectory, "sha256sum", "-c", Path.GetFileName(result.ChecksumPath))
            .Should()
            .Contain(": OK");
        File.ReadAllText(result.ChecksumPath).Should().StartWith(result.Sha256 + "  ");
        Directory
            .GetFiles(_app.OutputDirectory)
            .Select(Path.GetFileName)
            .Should()
            .BeEquivalentTo(
                [Path.GetFileName(result.ArtifactPath), Path.GetFileName(result.ChecksumPath)],
                "no partial file is left behind"
            );
    }

    [Test]
    public async Task Lists_entries_in_the_same_order_every_time()
    {
        _app.CreateBuildOutput();
        var first = NextStandaloneFixture.Run(_app.Root, "tar", "-tzf", (await Package(Request())).ArtifactPath);
        // New files created in reverse name order: a directory walk in creation order would now differ.
        _app.Write("public/z.txt", "z");
        _app.Write("public/a.txt", "a");
        _app.CommitAll("more public files");
        var second = NextStandaloneFixture.Run(_app.Root, "tar", "-tzf", (await Package(Request())).ArtifactPath);

        var lines = second.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        lines.Skip(1).Should().BeInAscendingOrder(StringComparer.Ordinal);
        lines
            .Where(l => l != "public/a.txt" && l != "public/z.txt")
            .Should()
            .Equal(first.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Test]
    public async Task Warns_about_a_symlink_that_would_dangle_on_the_host_and_still_packs_it()
    {
        _app.CreateBuildOutput();
        File.CreateSymbolicLink(
            Path.Combine(_app.Root, ".next/standalone/node_modules/outside"),
            "/home/runner/work/app/node_modules/next"
        );

        var result = await Package(Request());

        result
            .Warnings.Should()
            .ContainSingle()
            .Which.Should()
            .Contain("node_modules/outside is a symlink to /home/runner/work/app/node_modules/next");
        _log.Should().Contain(line => line.StartsWith("Warning: node_modules/outside"));
        NextStandaloneFixture
            .Run(_app.Root, "tar", "-tzf", result.ArtifactPath)
            .Should()
            .Contain("node_modules/outside");
    }

    [Test]
    public async Task Leaves_out_the_env_files_that_next_copies_into_the_standalone_folder()
    {
        _app.CreateBuildOutput();
        _app.Write(".next/standalone/.env", "DATABASE_URL=postgres://build-machine\n");
        _app.Write(".next/standalone/.env.production", "DATABASE_URL=postgres://production\n");
        _app.Write(".next/standalone/node_modules/tool/.env", "kept: not at the release root\n");

        var result = await Package(Request());

        var listing = NextStandaloneFixture.Run(_app.Root, "tar", "-tzf", result.ArtifactPath).Split('\n');
        listing.Should().NotContain([".env", ".env.production"]).And.Contain("node_modules/tool/.env");
        result.Warnings.Should().HaveCount(2).And.AllSatisfy(w => w.Should().Contain("shared/.env"));
        result.Manifest.FileCount.Should().Be(6);
    }

    [TestCase(".next/static")]
    [TestCase("public")]
    public async Task Fails_naming_a_missing_static_path_and_leaves_no_artifact(string missing)
    {
        _app.CreateBuildOutput();
        Directory.Delete(Path.Combine(_app.Root, missing), recursive: true);
        _app.CommitAll("without " + missing);

        var act = () => Package(Request());

        (await act.Should().ThrowAsync<FileNotFoundException>())
            .WithMessage($"*'{missing}'*{Path.Combine(_app.Root, missing)}*404*");
        Directory.Exists(_app.OutputDirectory).Should().BeFalse();
    }

    [Test]
    public async Task Runs_the_build_command_in_the_app_folder_with_the_commit_and_streams_its_output()
    {
        const string build = """
            echo "building $NEXT_PUBLIC_COMMIT_SHA in $PWD"
            mkdir -p .next/standalone .next/static public
            echo "$NEXT_PUBLIC_COMMIT_SHA" > .next/standalone/commit.txt
            echo 'console.log(1)' > .next/standalone/server.js
            echo warning on stderr >&2
            """;

        var result = await Package(Request(build, skipBuild: false));

        _log.Should().Contain($"building {_app.Commit} in {_app.Root}");
        _log.Should().Contain("warning on stderr");
        var release = ExtractWithSystemTar(result.ArtifactPath);
        File.ReadAllText(Path.Combine(release, "commit.txt")).Trim().Should().Be(_app.Commit);
    }

    [Test]
    public async Task A_failing_build_fails_with_its_exit_code_and_last_output_and_packs_nothing()
    {
        var act = () => Package(Request("echo 'Type error: x is not assignable'; exit 3", skipBuild: false));

        (await act.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("*exit code 3*Type error: x is not assignable*");
        Directory.Exists(_app.OutputDirectory).Should().BeFalse();
    }

    [Test]
    public async Task Refuses_a_modified_tree_naming_the_file_unless_allowed_and_then_marks_the_release_dirty()
    {
        _app.CreateBuildOutput();
        _app.Write("package.json", "{ \"name\": \"changed\" }\n");

        var refuse = () => Package(Request());
        (await refuse.Should().ThrowAsync<InvalidOperationException>()).WithMessage(
            "*uncommitted changes (package.json)*--allow-dirty*"
        );

        var result = await Package(Request(allowDirty: true));
        result.Manifest.Commit.Should().Be(_app.Commit + "-dirty");
        Path.GetFileName(result.ArtifactPath).Should().Be($"fixture-app-{_app.Commit[..7]}-dirty.tar.gz");
    }

    [Test]
    public async Task An_untracked_file_outside_the_packed_paths_and_a_previous_output_folder_do_not_block_packing()
    {
        _app.CreateBuildOutput();
        _app.Write("notes.txt", "a file of mine, never added\n");
        _app.Write("out/fixture-app-0000000.tar.gz", "the artifact of an earlier --output=out/ run\n");

        var result = await Package(Request());
        result
            .Manifest.Commit.Should()
            .Be(_app.Commit, "the artifact is still exactly the commit: nothing untracked was packed");
    }

    [Test]
    public async Task An_untracked_file_inside_a_packed_path_blocks_packing()
    {
        _app.CreateBuildOutput();
        _app.Write("public/extra.txt", "packed as it is, yet in no commit\n");

        var refuse = () => Package(Request());
        (await refuse.Should().ThrowAsync<InvalidOperationException>()).WithMessage(
            "*uncommitted changes (public/extra.txt)*"
        );
    }

    [Test]
    public async Task A_commit_override_names_the_artifact_and_the_manifest()
    {
        _app.CreateBuildOutput();
        const string sha = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";

        var result = await Package(Request(commit: sha.ToUpperInvariant()));

        result.Manifest.Commit.Should().Be(sha);
        Path.GetFileName(result.ArtifactPath).Should().Be("fixture-app-9f8e7d6.tar.gz");

        var shortSha = () => Package(Request(commit: "9f8e7d6"));
        await shortSha.Should().ThrowAsync<ArgumentException>().WithMessage("*--commit='9f8e7d6'*40-character*");
    }

    [Test]
    public async Task Two_pack_paths_that_put_a_file_at_the_same_place_fail_naming_both()
    {
        _app.CreateBuildOutput();
        _app.Write("public/server.js", "// not the server");
        _app.CommitAll("a file that clashes");
        var overlapping = NextStandaloneFixture.NextStandalonePack.Append(new PackedPath("public", ".")).ToList();

        var act = () => Package(Request(pack: overlapping));

        (await act.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("*'server.js'*.next/standalone/server.js*public/server.js*");
    }
}

/// <summary>What DeployVps reads (ReleaseArtifact, from the deploy side) must accept what PackageApp writes.</summary>
[TestFixture]
public sealed class ReleaseArtifactContractTests
{
    [Test]
    public async Task DeployVps_loads_the_commit_checksum_and_build_time_of_a_packed_artifact()
    {
        using var app = new NextStandaloneFixture();
        app.CreateBuildOutput();
        var packed = await new AppPackager(_ => { }).PackageAsync(
            new PackageRequest(
                app.Root,
                "fixture-app",
                "",
                NextStandaloneFixture.NextStandalonePack,
                app.OutputDirectory,
                SkipBuild: true
            )
        );

        var artifact = ReleaseArtifact.Load(packed.ArtifactPath);

        artifact.Commit.Should().Be(app.Commit);
        artifact.Sha256.Should().Be(packed.Sha256);
        artifact.BuiltAt.Should().Be(packed.Manifest.BuiltAt);
        artifact.VerifyChecksum();
        ReleaseArtifact.LoadVerified(packed.ArtifactPath).Should().Be(artifact, "the one-pass load checks the same checksum");
    }

    [Test]
    public async Task The_one_pass_load_refuses_an_artifact_whose_bytes_are_not_the_ones_its_checksum_names()
    {
        using var app = new NextStandaloneFixture();
        app.CreateBuildOutput();
        var packed = await new AppPackager(_ => { }).PackageAsync(
            new PackageRequest(app.Root, "fixture-app", "", NextStandaloneFixture.NextStandalonePack, app.OutputDirectory, SkipBuild: true));
        // The same archive with one byte more after its end: still a readable tar.gz, but other bytes than were packed
        // (only a hash over every byte of the file, the decompressor's unread tail included, sees it).
        File.AppendAllText(packed.ArtifactPath, "\n");

        var loadVerified = () => ReleaseArtifact.LoadVerified(packed.ArtifactPath);
        var loaded = ReleaseArtifact.Load(packed.ArtifactPath);

        loadVerified.Should().Throw<InvalidDataException>()
            .WithMessage($"Artifact {packed.ArtifactPath} has SHA-256 {ReleaseArtifact.ComputeSha256(packed.ArtifactPath)} but {packed.ArtifactPath}.sha256 says {packed.Sha256}.");
        loaded.Commit.Should().Be(app.Commit, "Load alone reads the manifest, not the checksum");
    }

    [Test]
    public async Task A_dirty_artifact_cannot_be_deployed()
    {
        using var app = new NextStandaloneFixture();
        app.CreateBuildOutput();
        app.Write("package.json", "{}");
        var packed = await new AppPackager(_ => { }).PackageAsync(
            new PackageRequest(
                app.Root,
                "fixture-app",
                "",
                NextStandaloneFixture.NextStandalonePack,
                app.OutputDirectory,
                SkipBuild: true,
                AllowDirty: true
            )
        );

        var load = () => ReleaseArtifact.Load(packed.ArtifactPath);

        load.Should().Throw<InvalidDataException>().WithMessage("*-dirty*");
    }
}
