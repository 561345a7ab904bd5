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

    private static async Task<string> DatabaseWithRowsAsync()
    {
        var connectionString = await PostgresServerFixture.CreateDatabaseAsync("backup");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "create table messages(id int primary key, body text); insert into messages select g, 'message ' || g from generate_series(1, 500) g;", connection);
        await command.ExecuteNonQueryAsync();
        return connectionString;
    }

    [Test]
    public async Task A_backup_is_a_complete_archive_that_restores_into_an_empty_database()
    {
        Require.Service(DatabaseBackup.FindTool("pg_dump") is not null, "pg_dump");
        var source = await DatabaseWithRowsAsync();
        var log = new List<string>();
        var result = await new DatabaseBackup(log.Add).CreateAsync(new BackupRequest(source, _directory, "staging", 14));

        Path.GetFileName(result.Path).Should().MatchRegex(@"^staging-\d{14}\.dump$");
        Directory.GetFiles(_directory).Should().Equal(result.Path); // no .partial left behind
        result.ArchiveEntries.Should().BeGreaterThan(0);
        log.Should().Contain(l => l.StartsWith("Backup staging-"));

        // The real test of a backup: restore it and find the rows.
        var target = await PostgresServerFixture.CreateDatabaseAsync("restore");
        var builder = new NpgsqlConnectionStringBuilder(target);
        var restore = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
            Path.Combine(Path.GetDirectoryName(DatabaseBackup.FindTool("pg_dump"))!, "pg_restore"),
            ["--no-owner", "-h", builder.Host!, "-p", builder.Port.ToString(), "-U", builder.Username!, "-d", builder.Database!, result.Path])
            { RedirectStandardError = true, Environment = { ["PGPASSWORD"] = builder.Password ?? "" } })!;
        await restore.WaitForExitAsync();
        restore.ExitCode.Should().Be(0, await restore.StandardError.ReadToEndAsync());
        await using var connection = new NpgsqlConnection(target);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from messages", connection);
        (await count.ExecuteScalarAsync()).Should().Be(500L);
    }

    [Test]
    public async Task A_failed_dump_leaves_no_file_that_looks_like_a_backup_and_names_the_step()
    {
        Require.Service(DatabaseBackup.FindTool("pg_dump") is not null, "pg_dump");
        var source = await DatabaseWithRowsAsync();
        var missingDatabase = new NpgsqlConnectionStringBuilder(source) { Database = "no_such_database" }.ConnectionString;
        var act = () => new DatabaseBackup(_ => { }).CreateAsync(new BackupRequest(missingDatabase, _directory, "staging", 14));
        (await act.Should().ThrowAsync<BackupException>()).Which.Message.Should().Contain("Could not connect");
        Directory.GetFiles(_directory).Should().BeEmpty();
    }

    [Test]
    public void Old_backups_of_the_same_environment_are_pruned_but_never_the_newest_nor_another_environments()
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
        var recent = Make("staging-20261120000000.dump", 3);
        var keep = Make("staging-20261127000000.dump", 40); // the one just made (clock skew must not delete it)
        var other = Make("production-20260101000000.dump", 30);

        var pruned = new DatabaseBackup(_ => { }).Prune(_directory, "staging", 14, keep);
        pruned.Should().Equal("staging-20260101000000.dump");
        Directory.GetFiles(_directory).Should().BeEquivalentTo([recent, keep, other]);
    }
}
