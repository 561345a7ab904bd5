using System.Text.Json.Nodes;
using Build.Backup;
using Build.Migrations.Database;
using Build.Tests.Infrastructure;

namespace Build.Tests.Migrations.Backup;

/// <summary>VerifyBackup (the restore drill) and RestoreDb, on real dumps and the shared scratch PostgreSQL.</summary>
public class RestoreTests
{
    private string _directory = null!;

    [SetUp]
    public void MakeDirectory() => _directory = Directory.CreateTempSubdirectory("restore-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    private async Task<(string Source, BackupResult Backup)> BackupAsync()
    {
        Require.Service(PostgresClientTools.Candidates(Environment.GetEnvironmentVariable).Any(), "pg_dump");
        var source = await DatabaseBackupTests.DatabaseWithRowsAsync();
        var backup = await new DatabaseBackup(_ => { }).CreateAsync(
            new BackupRequest(source, Path.Combine(_directory, "backups"), "local", 14)
        );
        return (source, backup);
    }

    private static BackupRestore Restore(List<string>? log = null) => new((log ?? []).Add);

    [Test]
    public async Task The_drill_restores_into_a_throwaway_database_matches_the_manifest_and_drops_it()
    {
        var (_, backup) = await BackupAsync();
        var server = await PostgresServerFixture.GetServerAsync();
        var before = await TestDatabase.ColumnAsync(
            server.AdminConnectionString,
            "select datname from pg_database where datname like 'drill%'"
        );

        var result = await Restore().DrillAsync(backup.Path, server);

        result.TablesCompared.Should().Be(3);
        result.RowsCompared.Should().Be(505);
        (
            await TestDatabase.ColumnAsync(
                server.AdminConnectionString,
                "select datname from pg_database where datname like 'drill%'"
            )
        )
            .Should()
            .Equal(before);
    }

    [Test]
    public async Task A_truncated_or_corrupted_dump_or_one_without_manifest_is_refused_before_pg_restore_reads_it()
    {
        var (_, backup) = await BackupAsync();
        var server = await PostgresServerFixture.GetServerAsync();
        var bytes = await File.ReadAllBytesAsync(backup.Path);

        var truncated = Path.Combine(_directory, "truncated.dump");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        File.Copy(BackupManifest.PathFor(backup.Path), BackupManifest.PathFor(truncated));
        var corrupted = Path.Combine(_directory, "corrupted.dump");
        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(corrupted, flipped);
        File.Copy(BackupManifest.PathFor(backup.Path), BackupManifest.PathFor(corrupted));
        var bare = Path.Combine(_directory, "bare.dump");
        File.Copy(backup.Path, bare);

        (
            await FluentActions
                .Awaiting(() => Restore().DrillAsync(truncated, server))
                .Should()
                .ThrowAsync<BackupException>()
        )
            .Which.Message.Should()
            .Contain("truncated")
            .And.Contain($"{bytes.Length / 2} bytes");
        (
            await FluentActions
                .Awaiting(() => Restore().DrillAsync(corrupted, server))
                .Should()
                .ThrowAsync<BackupException>()
        )
            .Which.Message.Should()
            .Contain("corrupted")
            .And.Contain("SHA-256");
        (await FluentActions.Awaiting(() => Restore().DrillAsync(bare, server)).Should().ThrowAsync<BackupException>())
            .Which.Message.Should().Contain("bare.dump.manifest.json does not exist");
    }

    [Test]
    public async Task A_dump_whose_data_does_not_match_its_manifest_fails_the_drill_naming_table_and_counts()
    {
        var (_, backup) = await BackupAsync();
        var manifestPath = BackupManifest.PathFor(backup.Path);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        manifest["tables"]!["public.messages"] = 501;
        manifest["newestMigration"] = "20250103000000_third";
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());

        var act = () => Restore().DrillAsync(backup.Path, PostgresServerFixture.Server);

        (await act.Should().ThrowAsync<BackupException>()).Which.Message.Should()
            .Contain("public.messages: 501 row(s) expected, 500 found")
            .And.Contain("newest migration: 20250103000000_third expected, 20250102000000_second found");
    }

    // ---- the targets, in-process ----

    private string Config(bool allowProductionRestore = false) =>
        TestConfiguration.Write(
            _directory,
            json =>
            {
                string[] environments = ["local", "production"];
                foreach (var environment in environments)
                    json["environments"]![environment]!["backup"]!["directory"] = Path.Combine(
                        _directory,
                        "backups",
                        environment
                    );
                if (allowProductionRestore)
                    json["environments"]!["production"]!["backup"]!["allowRestore"] = true;
            }
        );

    private static Dictionary<string, string> Variables(string database, string prefix = "LOCAL") => new()
    {
        [$"{prefix}_DATABASE_URL"] = DatabaseUrl.ToUrl(database),
        ["SCRATCH_DATABASE_URL"] = DatabaseUrl.ToUrl(PostgresServerFixture.Server.AdminConnectionString),
    };

    [Test]
    public async Task BackupDb_then_VerifyBackup_passes_the_drill_end_to_end()
    {
        Require.Service(PostgresClientTools.Candidates(Environment.GetEnvironmentVariable).Any(), "pg_dump");
        var source = await DatabaseBackupTests.DatabaseWithRowsAsync();
        var config = Config();

        var backup = await SuiteRun.RunAsync(
            Variables(source),
            $"--config={config}",
            "--target=BackupDb",
            "--env=local"
        );
        backup.ExitCode.Should().Be(0, backup.All);
        var dump = Directory.GetFiles(Path.Combine(_directory, "backups", "local"), "*.dump").Single();
        var verify = await SuiteRun.RunAsync(
            Variables(source),
            $"--config={config}",
            "--target=VerifyBackup",
            $"--backup={dump}"
        );

        verify.ExitCode.Should().Be(0, verify.All);
        verify
            .Out.Should()
            .Contain("SHA-256 matches its manifest")
            .And.Contain("Restore drill passed")
            .And.Contain("3 table(s) and 505 row(s)");
    }

    [Test]
    public async Task RestoreDb_needs_confirmation_then_takes_a_fresh_backup_and_puts_the_data_back()
    {
        var (source, backup) = await BackupAsync();
        var config = Config();
        await TestDatabase.ScalarAsync(
            source,
            "delete from messages where id > 100; insert into supabase_migrations.schema_migrations(version, name) " +
            "values ('20250109000000', 'later')"
        );

        var unconfirmed = await SuiteRun.RunAsync(
            Variables(source),
            $"--config={config}",
            "--target=RestoreDb",
            "--env=local",
            $"--backup={backup.Path}"
        );
        unconfirmed.ExitCode.Should().NotBe(0);
        unconfirmed.All.Should().Contain("--confirm=local").And.Contain("Nothing was changed");
        (await TestDatabase.ScalarAsync(source, "select count(*) from messages")).Should().Be(100L);

        var restored = await SuiteRun.RunAsync(
            Variables(source),
            $"--config={config}",
            "--target=RestoreDb",
            "--env=local",
            $"--backup={backup.Path}",
            "--confirm=local"
        );

        restored.ExitCode.Should().Be(0, restored.All);
        restored.Out.Should().Contain("First, a fresh backup").And.Contain("505 row(s) verified");
        (await TestDatabase.ScalarAsync(source, "select count(*) from messages")).Should().Be(500L);
        (await TestDatabase.HistoryAsync(source)).Should().Equal("20250101000000", "20250102000000");
        var safety = Directory.GetFiles(Path.Combine(_directory, "backups", "local"), "local-*.dump").Single();
        BackupManifest
            .ReadFor(safety)
            .Tables["public.messages"]
            .Should()
            .Be(100, "the safety backup holds the database as it was before the restore");
    }

    [Test]
    public async Task RestoreDb_refuses_a_corrupted_dump_before_taking_anything_and_production_unless_configured()
    {
        var (source, backup) = await BackupAsync();
        var bytes = await File.ReadAllBytesAsync(backup.Path);
        bytes[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(backup.Path, bytes);
        await TestDatabase.ScalarAsync(source, "delete from messages where id > 100");

        var corrupted = await SuiteRun.RunAsync(
            Variables(source),
            $"--config={Config()}",
            "--target=RestoreDb",
            "--env=local",
            $"--backup={backup.Path}",
            "--confirm=local"
        );
        var production = await SuiteRun.RunAsync(
            Variables(source, "PROD"),
            $"--config={Config()}",
            "--target=RestoreDb",
            "--env=production",
            $"--backup={backup.Path}",
            "--confirm=production"
        );

        corrupted.ExitCode.Should().NotBe(0);
        corrupted.All.Should().Contain("corrupted").And.NotContain("fresh backup");
        Directory
            .Exists(Path.Combine(_directory, "backups", "local"))
            .Should()
            .BeFalse("nothing was dumped nor restored");
        var dev = await SuiteRun.RunAsync(
            Variables(source, "DEV"),
            $"--config={Config()}",
            "--target=RestoreDb",
            "--env=dev",
            $"--backup={backup.Path}",
            "--confirm=production"
        );
        production.ExitCode.Should().NotBe(0);
        production.All.Should().Contain("allowRestore").And.Contain("Nothing was changed");
        dev.ExitCode.Should().NotBe(0);
        dev.All.Should()
            .Contain("'dev' uses the same database as 'production'")
            .And.Contain("environments.production.backup.allowRestore")
            .And.Contain("Nothing was changed");
        (await TestDatabase.ScalarAsync(source, "select count(*) from messages")).Should().Be(100L);
    }
}
