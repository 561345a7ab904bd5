using System.Formats.Tar;
using System.IO.Compression;
using Build.Deploy;
using Build.Packaging;
using Build.Tests.Infrastructure;

namespace Build.Tests.Deploy;

/// <summary>
/// Bad artifacts, a full disk and the deploy's messages, on real sshd, PM2 and Nginx (issue 8): a symlink out of the
/// release is refused on the host, a disk that fills up leaves nothing behind and never blocks the lock, and no
/// message claims a lock or a rollback state that is not so.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DeployFaultsTests
{
    private readonly DeployRunner _deploy = new("tester@deploy-faults");

    /// <summary>The fixture artifact plus one more entry, packed without the local checks (what a hostile or broken
    /// packer could send), with a correct checksum.</summary>
    private static ReleaseArtifact WithExtraEntry(ReleaseArtifact source, Action<TarWriter> add)
    {
        var path = Path.Combine(Path.GetDirectoryName(source.Path)!, $"extra-{Guid.NewGuid():N}.tar.gz");
        using (var input = new TarReader(new GZipStream(File.OpenRead(source.Path), CompressionMode.Decompress)))
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            while (input.GetNextEntry(copyData: true) is { } entry) tar.WriteEntry(entry);
            add(tar);
        }
        return source with { Path = path, Sha256 = ReleaseArtifact.ComputeSha256(path) };
    }

    [Test]
    public async Task An_artifact_entry_that_is_a_symlink_out_of_the_release_is_refused_on_the_host_and_by_Load()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var good = FixtureArtifacts.Build();
        await _deploy.DeployAsync(host, good);
        var hostile = WithExtraEntry(
            FixtureArtifacts.Build(),
            tar =>
                tar.WriteEntry(
                    new PaxTarEntry(TarEntryType.SymbolicLink, "public/escape")
                    {
                        LinkName = "../../../../../../../etc",
                    }
                )
        );

        var deploy = async () => await _deploy.DeployAsync(host, hostile);

        var failure = (await deploy.Should().ThrowAsync<DeployFailedException>()).Which;
        failure.Failure.Step.Should().Be("unpack");
        failure.Message.Should().Contain("public/escape").And.Contain("symlink").And.Contain("outside the release");
        host.Releases.Should().ContainSingle("the refused release never became a release folder");
        Directory.GetDirectories(host.Layout.Releases, ".tmp-*").Should().BeEmpty();
        Directory.GetFileSystemEntries(host.Layout.Uploads).Should().BeEmpty();
        host.LockHeld.Should().BeFalse();
        (await host.ServedCommitAsync()).Should().Be(good.Commit);

        File.WriteAllText(ReleaseArtifact.ChecksumPathFor(hostile.Path), hostile.Sha256 + "\n");
        var load = () => ReleaseArtifact.Load(hostile.Path);
        load.Should()
            .Throw<InvalidDataException>()
            .WithMessage($"*{hostile.Path}*public/escape*outside the release folder*");
    }

    [Test]
    public void Artifact_choice_refuses_an_empty_value_a_directory_a_corrupt_file_and_another_commits_artifact()
    {
        var folder = Directory.CreateTempSubdirectory("artifact-choice-").FullName;
        try
        {
            var empty = () =>
                ArtifactSelector.Choose("", null, folder, () => throw new AssertionException("not asked"));
            empty.Should().Throw<ArgumentException>().WithMessage("--artifact= is empty*");

            var directory = () => ArtifactSelector.Choose(folder, null, folder, () => "");
            directory.Should().Throw<ArgumentException>().WithMessage($"*{folder}*is a directory*");
            var loadDirectory = () => ReleaseArtifact.Load(folder);
            loadDirectory.Should().Throw<FileNotFoundException>().WithMessage($"*{folder} is a directory*");

            var asked = FixtureArtifacts.Build();
            var other = FixtureArtifacts.Build();
            File.Copy(asked.Path, Path.Combine(folder, "asked.tar.gz"));
            File.SetLastWriteTimeUtc(Path.Combine(folder, "asked.tar.gz"), DateTime.UtcNow.AddHours(-1));
            File.Copy(other.Path, Path.Combine(folder, "newer-other.tar.gz"));
            ArtifactSelector
                .Choose(null, null, folder, () => asked.Commit)
                .Should()
                .Be(Path.Combine(folder, "asked.tar.gz"), "the newest file is another commit's build");
            var none = () => ArtifactSelector.Choose(null, null, folder, () => new string('a', 40));
            none.Should()
                .Throw<FileNotFoundException>()
                .WithMessage(
                    $"No artifact of commit aaaaaaa in {folder}*newer-other.tar.gz (commit {other.ShortCommit})*"
                );
            var mismatch = () => ArtifactSelector.RequireCommit(asked, other.Commit);
            mismatch.Should().Throw<InvalidDataException>().WithMessage($"*{asked.Commit}*not {other.Commit}*");

            var corrupt = Path.Combine(folder, "corrupt.tar.gz");
            var bytes = File.ReadAllBytes(asked.Path);
            File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 2)]);
            File.WriteAllText(ReleaseArtifact.ChecksumPathFor(corrupt), ReleaseArtifact.ComputeSha256(corrupt) + "\n");
            var load = () => ReleaseArtifact.Load(corrupt);
            load.Should().Throw<InvalidDataException>().WithMessage($"{corrupt} is not a readable tar.gz*");
            File.WriteAllBytes(corrupt, "not gzip at all"u8.ToArray());
            load.Should().Throw<InvalidDataException>().WithMessage($"{corrupt} is not a readable tar.gz*");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task DeployVps_with_an_empty_artifact_value_stops_before_anything_runs()
    {
        foreach (var target in new[] { "DeployVps", "Deploy" })
        {
            var run = await SuiteRun.RunAsync(null, $"--target={target}", "--env=local", "--artifact=");
            run.ExitCode.Should().NotBe(0);
            run.All.Should().MatchRegex("--artifact( needs a value|= is empty)");
            run.All.Should().NotContain("Deploying ").And.NotContain("ApplyMigrations");
        }
    }

    [Test]
    public async Task A_full_disk_is_named_before_the_upload_cleaned_up_after_a_failed_unpack_and_never_blocks_the_lock()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        Directory.CreateDirectory(host.Settings.BasePath);
        var mounted = TryMountTmpfs(host.Settings.BasePath, megabytes: 24);
        Require.Service(mounted, "a tmpfs mount (root, for a disk that fills up)");
        try
        {
            var good = FixtureArtifacts.Build();
            await _deploy.DeployAsync(host, good);

            // 1. Too big for what is free: refused before the upload, naming host, free and needed.
            var huge = FixtureArtifacts.Build(paddingBytes: 30 << 20);
            var tooBig = async () => await _deploy.DeployAsync(host, huge);
            var refused = (await tooBig.Should().ThrowAsync<DeployFailedException>()).Which;
            refused.Failure.Step.Should().Be("space");
            refused
                .Message.Should()
                .Contain("not enough free space")
                .And.Contain("MB free")
                .And.Contain("MB needed")
                .And.Contain(host.Settings.BasePath);
            Directory.GetFileSystemEntries(host.Layout.Uploads).Should().BeEmpty("nothing was uploaded");

            // 2. The disk fills up during the upload (another process): unpacking what arrives fails and leaves nothing
            // behind.
            var filler = Path.Combine(host.Settings.BasePath, "filler");
            var second = FixtureArtifacts.Build(paddingBytes: 3 << 20);
            var filling = new FillDiskAfterUpload(host.Connect(), filler);
            var full = async () => await _deploy.DeployAsync(host, second, filling);
            var unpackFailure = (await full.Should().ThrowAsync<DeployFailedException>()).Which;
            unpackFailure.Failure.Step.Should().Be("receive");
            unpackFailure.Message.Should().Contain("MB free");
            Directory.GetFileSystemEntries(host.Layout.Uploads).Should().BeEmpty("the failed run removed its upload");
            Directory
                .GetDirectories(host.Layout.Releases, ".tmp-*")
                .Should()
                .BeEmpty("the failed run removed its unpack folder");
            host.LockHeld.Should().BeFalse();
            File.Delete(filler);

            // 3. A run killed with -9 left an upload and a half-unpacked folder that fill the disk: the next deploy's
            // lock still works and frees them.
            Directory.CreateDirectory(Path.Combine(host.Layout.Releases, ".tmp-killed"));
            FillDisk(Path.Combine(host.Layout.Uploads, "killed.tar.gz.partial"));
            FillDisk(Path.Combine(host.Layout.Releases, ".tmp-killed", "big.bin"));
            var third = FixtureArtifacts.Build();
            var result = await _deploy.DeployAsync(host, third);
            (await host.ServedCommitEventuallyAsync(third.Commit)).Should().Be(third.Commit);
            host.CurrentRelease.Should().Be(result.Release);
        }
        finally
        {
            if (mounted)
            {
                host.Dispose();
                Processes.Run("umount", ["-l", host.Settings.BasePath]);
            }
        }
    }

    [Test]
    public async Task A_deploy_that_never_took_the_lock_does_not_warn_about_releasing_it()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        var wrongPin =
            "SHA256:"
            + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=');

        var deploy = async () => await _deploy.DeployAsync(host, FixtureArtifacts.Build(), host.Connect(wrongPin));

        await deploy.Should().ThrowAsync<DeployFailedException>();
        _deploy
            .Progress.Should()
            .NotContain(l => l.Contains("deploy lock"), "no lock was taken, so none needs releasing or --break-lock");
    }

    [Test]
    public async Task A_first_deploy_whose_nginx_reload_fails_does_not_claim_it_was_not_rolled_back()
    {
        var host = DeployEnvironment.NewHost(DeployEnvironment.Ssh);
        host.Settings = host.Settings with { NginxReloadCommand = "false" };

        var deploy = async () => await _deploy.DeployAsync(host, FixtureArtifacts.Build());

        var failure = (await deploy.Should().ThrowAsync<DeployFailedException>()).Which;
        failure.Failure.Step.Should().Be("nginx");
        failure
            .Message.Should()
            .NotContain("NOT rolled back", "the switch put the upstream back and current never moved");
        host.CurrentRelease.Should().BeNull();
        host.Pm2Apps().Should().BeEmpty("the healthy candidate does not stay running when the Nginx step fails");
        host.LockHeld.Should().BeFalse();
    }

    private static bool TryMountTmpfs(string path, int megabytes)
    {
        try
        {
            Processes.Run("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path]);
            return true;
        }
        catch (Exception ex)
        {
            TestContext.Out.WriteLine($"mount: {ex.Message}");
            return false;
        }
    }

    /// <summary>Writes zeros until the file system is full.</summary>
    internal static void FillDisk(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var block = new byte[64 << 10];
        try
        {
            using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
            while (true) stream.Write(block);
        }
        catch (IOException) { }
    }

    /// <summary>Once the upload has begun, fills the disk (another process writing): unpacking what arrives then runs
    /// out of space.</summary>
    private sealed class FillDiskAfterUpload(IRemoteHost inner, string filler) : RemoteHostWrapper(inner)
    {
        private int _filled;

        protected override Task<ScriptInput> BeforeUploadAsync(
            ScriptInput input,
            CancellationToken cancellationToken
        ) =>
            Task.FromResult(
                input with
                {
                    OnProgress = (sent, total) =>
                    {
                        if (Interlocked.Exchange(ref _filled, 1) == 0)
                            FillDisk(filler);
                        input.OnProgress?.Invoke(sent, total);
                    },
                }
            );
    }
}
