using System.Text.Json.Nodes;
using Build.Migrations.Database;
using Build.Tests.Infrastructure;

namespace Build.Tests.Rehearsal;

/// <summary>CleanLocal as a target on a scratch checkout: without --delete it lists and removes nothing; with --delete
/// it removes .local/ and the local cluster, reports each with its size, and nothing else (links are not followed,
/// configured folders outside .local/ are named and kept); a PostgreSQL still running there stops it before anything
/// goes.</summary>
public class CleanLocalTests
{
    private ScratchRepository _repository = null!;
    private string _local = null!, _cluster = null!, _outside = null!;

    [SetUp]
    public void MakeRehearsalLeftovers()
    {
        _repository = ScratchRepository.Create();
        var root = _repository.Root;
        // The backups of the rehearsal configured outside .local/: CleanLocal must name them and keep them.
        var configPath = Path.Combine(root, "build", "environments.json");
        var json = JsonNode.Parse(File.ReadAllText(configPath))!;
        json["environments"]!["local"]!["backup"]!["directory"] = "kept-backups";
        File.WriteAllText(configPath, json.ToJsonString());

        _local = Path.Combine(root, ".local");
        Put(Path.Combine(_local, "www", "muva-chat", "releases", "r1", "server.js"), 1000);
        Put(Path.Combine(_local, "www", "muva-chat", "revisions.log"), 24);
        // Where the local cluster lives for this checkout (.local/postgres, or /var/tmp/... when run as root from a
        // folder the postgres user cannot reach: a scratch folder is 0700, so as root it is the outside case).
        _cluster = LocalDatabase.DirectoryFor(root);
        Put(Path.Combine(_cluster, "data", "PG_VERSION"), 3);
        Put(Path.Combine(root, "kept-backups", "local-1.dump"), 10);
        Put(Path.Combine(root, ".local.bak", "keep.txt"), 5);
        Put(Path.Combine(root, "artifacts", "muva-chat-local-abc1234.tar.gz"), 7);
        // A link inside .local/ to a folder outside: deleting .local/ removes the link, never what it points to.
        _outside = Directory.CreateTempSubdirectory("cleanlocal-outside-").FullName;
        Put(Path.Combine(_outside, "precious.txt"), 9);
        Directory.CreateSymbolicLink(Path.Combine(_local, "link-out"), _outside);
    }

    [TearDown]
    public void Remove()
    {
        _repository.Dispose();
        if (Directory.Exists(_cluster)) Directory.Delete(_cluster, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private static void Put(string path, int bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
    }

    private bool EverythingElseIsThere() =>
        File.Exists(Path.Combine(_outside, "precious.txt")) &&
        File.Exists(Path.Combine(_repository.Root, "kept-backups", "local-1.dump")) &&
        File.Exists(Path.Combine(_repository.Root, ".local.bak", "keep.txt")) &&
        File.Exists(Path.Combine(_repository.Root, "artifacts", "muva-chat-local-abc1234.tar.gz")) &&
        File.Exists(Path.Combine(_repository.Root, "build", "environments.json"));

    private string ClusterFiles => _cluster.StartsWith(_local + "/") ? "" : "1 file";

    [Test]
    public async Task Without_delete_it_lists_what_delete_would_remove_and_removes_nothing()
    {
        var run = await SuiteRun.RunInAsync(_repository.Root, null, "--target=CleanLocal");

        run.ExitCode.Should().Be(0, run.All);
        // .local/: server.js, revisions.log, the link, and PG_VERSION when the cluster lives inside it.
        var localFiles = _cluster.StartsWith(_local + "/") ? 4 : 3;
        run.Out.Should()
            .Contain(
                $"Would delete {_local} (releases, PM2 home, local database and backups of the rehearsal; " +
                $"{localFiles} files, 0.0 MB). Run with --delete to remove it."
            );
        if (ClusterFiles != "")
            run.Out.Should()
                .Contain(
                    $"Would delete {_cluster} (the local PostgreSQL cluster (kept outside the checkout); 1 file, 0.0 " +
                    "MB)."
                );
        run.Out.Should()
            .Contain(
                $"Kept {Path.Combine(_repository.Root, "kept-backups")}: configured for the rehearsal but outside " +
                ".local/"
            );
        run.Out.Should().NotContain("Deleted ");
        Directory.Exists(_local).Should().BeTrue();
        File.Exists(Path.Combine(_cluster, "data", "PG_VERSION")).Should().BeTrue();
        EverythingElseIsThere().Should().BeTrue();
    }

    [Test]
    public async Task With_delete_it_removes_local_and_the_cluster_reports_each_and_touches_nothing_else()
    {
        var run = await SuiteRun.RunInAsync(_repository.Root, null, "--target=CleanLocal", "--delete");

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should()
            .MatchRegex(
                $@"Deleted {System.Text.RegularExpressions.Regex.Escape(_local)} \(releases, PM2 home, local " +
                @"database and backups of the rehearsal; \d files, 0\.0 MB\)\."
            );
        if (ClusterFiles != "")
            run.Out.Should()
                .Contain(
                    $"Deleted {_cluster} (the local PostgreSQL cluster (kept outside the checkout); 1 file, 0.0 MB)."
                );
        Directory.Exists(_local).Should().BeFalse();
        Directory.Exists(_cluster).Should().BeFalse("the local database is part of what --delete says it removes");
        EverythingElseIsThere()
            .Should()
            .BeTrue(
                "only .local/ and the cluster go; a link's target, look-alike names, artifacts and configured " +
                "folders outside stay"
            );
        run.Out.Should().Contain($"Kept {Path.Combine(_repository.Root, "kept-backups")}");

        run = await SuiteRun.RunInAsync(_repository.Root, null, "--target=CleanLocal", "--delete");
        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().Contain($"Nothing to delete: {_local} does not exist.").And.NotContain("Deleted ");
    }

    [Test]
    public async Task With_delete_a_postgres_still_running_on_the_cluster_stops_it_before_anything_is_deleted()
    {
        // This test's own process stands for the live postmaster: its pid is alive.
        File.WriteAllText(
            Path.Combine(_cluster, "data", "postmaster.pid"),
            $"{Environment.ProcessId}\n{_cluster}/data\n"
        );

        var run = await SuiteRun.RunInAsync(_repository.Root, null, "--target=CleanLocal", "--delete");

        run.ExitCode.Should().NotBe(0);
        run.All.Should()
            .Contain($"A PostgreSQL server still runs on {Path.Combine(_cluster, "data")}")
            .And.Contain("Nothing was deleted");
        Directory.Exists(_local).Should().BeTrue();
        File.Exists(Path.Combine(_local, "www", "muva-chat", "releases", "r1", "server.js")).Should().BeTrue();
        File.Exists(Path.Combine(_cluster, "data", "PG_VERSION")).Should().BeTrue();
        EverythingElseIsThere().Should().BeTrue();
    }
}
