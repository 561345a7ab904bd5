using Build.Backup;
using Build.Tests.Infrastructure;
using Npgsql;

namespace Build.Tests.Migrations.Backup;

/// <summary>Backups against the real scratch PostgreSQL, with the real pg_dump and pg_restore.</summary>
public class DatabaseBackupTests
{
    private string _directory = null!;

    [SetUp]
    public void MakeDirectory() => _directory = Directory.CreateTempSubdirectory("backups-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    private static void RequireTools() =>
        Require.Service(PostgresClientTools.Candidates(Environment.GetEnvironmentVariable).Any(), "pg_dump");

    /// <summary>A database with rows, a self-referencing table and a Supabase migration history.</summary>
    internal static async Task<string> DatabaseWithRowsAsync()
    {
        var connectionString = await PostgresServerFixture.CreateDatabaseAsync("backup");
        await TestDatabase.ScalarAsync(connectionString, """
            create table messages(id int primary key, body text);
            insert into messages select g, 'message ' || g from generate_series(1, 500) g;
            create table threads(id int generated always as identity primary key, parent int references threads);
            insert into threads(parent) values (null), (1), (1);
            create schema supabase_migrations;
            create table supabase_migrations.schema_migrations(version text primary key, statements text[], name text);
            insert into supabase_migrations.schema_migrations(version, name)
                values ('20250101000000', 'first'), ('20250102000000', 'second');
            """);
        return connectionString;
    }

    private Task<BackupResult> BackupAsync(string source, TimeProvider? time = null, List<string>? log = null) =>
        new DatabaseBackup((log ?? []).Add, time).CreateAsync(
            new BackupRequest(source, _directory, "staging", 14, Commit: "0123456789abcdef0123456789abcdef01234567")
        );

    [Test]
    public async Task A_backup_is_a_complete_archive_that_restores_into_an_empty_database()
    {
        RequireTools();
        var source = await DatabaseWithRowsAsync();
        var log = new List<string>();
        var result = await BackupAsync(source, log: log);

        Path.GetFileName(result.Path).Should().MatchRegex(@"^staging-\d{14}\.dump$");
        // no .partial left behind
        Directory.GetFiles(_directory).Should().BeEquivalentTo([result.Path, BackupManifest.PathFor(result.Path)]);
        result.ArchiveEntries.Should().BeGreaterThan(0);
        log.Should().Contain(l => l.StartsWith("Backup staging-"));

        // The real test of a backup: restore it and find the rows.
        var target = await PostgresServerFixture.CreateDatabaseAsync("restore");
        var builder = new NpgsqlConnectionStringBuilder(target);
        var client = PostgresClientTools.Find(15);
        var restore = System.Diagnostics.Process.Start(
            new System.Diagnostics.ProcessStartInfo(
                client.PgRestore,
                [
                    "--no-owner",
                    "-h",
                    builder.Host!,
                    "-p",
                    builder.Port.ToString(),
                    "-U",
                    builder.Username!,
                    "-d",
                    builder.Database!,
                    result.Path,
                ]
            )
            {
                RedirectStandardError = true,
                Environment = { ["PGPASSWORD"] = builder.Password ?? "" },
            }
        )!;
        await restore.WaitForExitAsync();
        restore.ExitCode.Should().Be(0, await restore.StandardError.ReadToEndAsync());
        (await TestDatabase.ScalarAsync(target, "select count(*) from messages")).Should().Be(500L);
    }

    [Test]
    public async Task The_manifest_holds_environment_server_commit_newest_migration_counts_size_and_sha256()
    {
        RequireTools();
        var source = await DatabaseWithRowsAsync();
        var result = await BackupAsync(source);

        var manifest = BackupManifest.ReadFor(result.Path);
        manifest.Environment.Should().Be("staging");
        manifest.Dump.Should().Be(Path.GetFileName(result.Path));
        manifest.ServerVersion.Should().MatchRegex(@"^\d+\.\d+");
        manifest.ServerMajor.Should().BeGreaterThanOrEqualTo(13);
        manifest.Commit.Should().Be("0123456789abcdef0123456789abcdef01234567");
        manifest.NewestMigration.Should().Be("20250102000000_second");
        manifest.Tables.Should().Equal(new Dictionary<string, long>
        {
            ["public.messages"] = 500, ["public.threads"] = 3, ["supabase_migrations.schema_migrations"] = 2,
        });
        var (bytes, sha) = await BackupManifest.HashAsync(result.Path);
        manifest.Bytes.Should().Be(bytes);
        manifest.Sha256.Should().Be(sha).And.MatchRegex("^[0-9a-f]{64}$");
        manifest.CreatedAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(2));
    }

    [Test]
    public async Task Dumps_and_manifests_are_0600_in_a_0700_folder_even_when_the_folder_was_0755()
    {
        RequireTools();
        var source = await DatabaseWithRowsAsync();
        var fresh = Path.Combine(_directory, "backups", "staging");
        var loose = Path.Combine(_directory, "loose");
        Directory.CreateDirectory(
            loose,
            UnixFileMode.UserRead
                | UnixFileMode.UserWrite
                | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead
                | UnixFileMode.OtherExecute
        );
        foreach (var folder in new[] { fresh, loose })
        {
            var result = await new DatabaseBackup(_ => { }).CreateAsync(
                new BackupRequest(source, folder, "staging", 14)
            );
            File.GetUnixFileMode(folder).Should().Be(DatabaseBackup.PrivateFolderMode, folder);
            File.GetUnixFileMode(result.Path).Should().Be(DatabaseBackup.PrivateFileMode);
            File.GetUnixFileMode(BackupManifest.PathFor(result.Path)).Should().Be(DatabaseBackup.PrivateFileMode);
        }
    }

    private sealed class FrozenClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Test]
    public async Task Two_backups_started_in_the_same_second_each_keep_their_own_complete_dump()
    {
        RequireTools();
        var source = await DatabaseWithRowsAsync();
        var clock = new FrozenClock(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

        var results = await Task.WhenAll(
            BackupAsync(source, clock),
            BackupAsync(source, clock),
            BackupAsync(source, clock)
        );

        results.Select(r => r.Path).Should().OnlyHaveUniqueItems();
        results.Select(r => Path.GetFileName(r.Path)).Should().BeEquivalentTo(
            ["staging-20261128120000.dump", "staging-20261128120000-2.dump", "staging-20261128120000-3.dump"]);
        Directory.GetFiles(_directory, "*.partial").Should().BeEmpty();
        foreach (var result in results)
        {
            var manifest = BackupManifest.ReadFor(result.Path);
            manifest.Dump.Should().Be(Path.GetFileName(result.Path));
            await manifest.CheckFileAsync(result.Path); // each dump is whole and is the one its manifest describes
        }
    }

    [Test]
    public async Task A_failed_dump_leaves_no_file_that_looks_like_a_backup_and_names_the_step()
    {
        RequireTools();
        var source = await DatabaseWithRowsAsync();
        var missingDatabase = new NpgsqlConnectionStringBuilder(source)
        {
            Database = "no_such_database",
        }.ConnectionString;
        var act = () =>
            new DatabaseBackup(_ => { }).CreateAsync(new BackupRequest(missingDatabase, _directory, "staging", 14));
        (await act.Should().ThrowAsync<BackupException>()).Which.Message.Should().Contain("Could not connect");
        Directory.GetFiles(_directory).Should().BeEmpty();
    }

    [Test]
    public void Old_backups_of_the_same_environment_are_pruned_with_their_manifests_but_never_the_newest_nor_another_environments()
    {
        var now = DateTimeOffset.UtcNow;
        string Make(string name, int daysOld)
        {
            var path = Path.Combine(_directory, name);
            File.WriteAllText(path, "x");
            File.SetLastWriteTimeUtc(path, now.UtcDateTime.AddDays(-daysOld));
            return path;
        }
        Make("staging-20260101000000.dump", 30);
        Make("staging-20260101000000.dump.manifest.json", 30);
        var recent = Make("staging-20261120000000.dump", 3);
        var keep = Make("staging-20261127000000.dump", 40); // the one just made (clock skew must not delete it)
        var other = Make("production-20260101000000.dump", 30);

        var pruned = new DatabaseBackup(_ => { }).Prune(_directory, "staging", 14, keep);
        pruned.Should().Equal("staging-20260101000000.dump");
        Directory.GetFiles(_directory).Should().BeEquivalentTo([recent, keep, other]);
    }
}
