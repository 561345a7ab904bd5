using Build.Migrations.Database;
using Build.Migrations.Platform;
using Build.Tests.Infrastructure;

namespace Build.Tests.Migrations;

/// <summary>ApplyMigrations --env=staging takes its backup beside CheckMigrations' replay, and both still gate the
/// apply: a failed backup stops it, a failed replay stops it (and the backup it started is finished, not cut
/// off).</summary>
[NonParallelizable]
public sealed class BackupBesideReplayTests
{
    private ScratchRepository _repository = null!;
    private string _backups = null!;

    [SetUp]
    public void Repository()
    {
        Require.Service(
            Build.Backup.PostgresClientTools.Candidates(Environment.GetEnvironmentVariable).Any(),
            "pg_dump"
        );
        _repository = ScratchRepository.Create();
        var migrations = Path.Combine(_repository.Root, "supabase", "migrations");
        Directory.CreateDirectory(migrations);
        foreach (
            var file in Directory.GetFiles(Path.Combine(Require.RepositoryRoot, "supabase", "migrations"), "*.sql")
        )
            File.Copy(file, Path.Combine(migrations, Path.GetFileName(file)));
        _backups = Path.Combine(_repository.Root, "backups", "staging");
    }

    [TearDown]
    public void Remove() => _repository.Dispose();

    private static async Task<(string Db, Dictionary<string, string> Variables)> StagingAsync()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync("beside");
        await SupabasePlatform.InstallAsync(db);
        return (db, new Dictionary<string, string>
        {
            ["STAGING_DATABASE_URL"] = DatabaseUrl.ToUrl(db),
            ["SCRATCH_DATABASE_URL"] = DatabaseUrl.ToUrl(PostgresServerFixture.Server.AdminConnectionString),
        });
    }

    private string[] Backups() =>
        Directory.Exists(_backups) ? Directory.GetFiles(_backups, "*.dump", SearchOption.AllDirectories) : [];

    private static async Task<bool> NothingApplied(string db) =>
        (bool)
            (
                await TestDatabase.ScalarAsync(
                    db,
                    "select to_regclass('supabase_migrations.schema_migrations') is null"
                )
            )!;

    [Test]
    public async Task Both_succeed_the_backup_runs_beside_the_replay_and_then_the_apply()
    {
        var (db, variables) = await StagingAsync();

        var run = await SuiteRun.RunInAsync(_repository.Root, variables, "--target=ApplyMigrations", "--env=staging");

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().Contain("Backing up staging beside the replay");
        run.Out.IndexOf("Backing up staging beside the replay", StringComparison.Ordinal)
            .Should()
            .BeLessThan(
                run.Out.IndexOf("Replayed", StringComparison.Ordinal),
                "the backup starts before the replay ends"
            );
        run.Out.Should().MatchRegex(@"BackupDb\s+\S+\s+Succeeded");
        Backups().Should().ContainSingle();
        (await TestDatabase.HistoryAsync(db)).Should().NotBeEmpty();
    }

    [Test]
    public async Task A_failed_backup_still_stops_the_apply()
    {
        var (db, variables) = await StagingAsync();
        // The backup folder cannot be made: a file stands where it goes.
        Directory.CreateDirectory(Path.GetDirectoryName(_backups)!);
        File.WriteAllText(_backups, "not a folder");

        var run = await SuiteRun.RunInAsync(_repository.Root, variables, "--target=ApplyMigrations", "--env=staging");

        run.ExitCode.Should().Be(1, run.All);
        run.Out.Should().Contain("Backing up staging beside the replay");
        run.Out.Should().MatchRegex(@"CheckMigrations\s+\S+\s+Succeeded").And.MatchRegex(@"BackupDb\s+\S+\s+Failed");
        run.Out.Should().NotMatchRegex(@"ApplyMigrations\s+\S+\s+Succeeded");
        (await NothingApplied(db)).Should().BeTrue("the backup failed, so nothing was applied");
    }

    [Test]
    public async Task A_failed_replay_still_stops_the_apply_and_the_backup_it_started_finishes()
    {
        var (db, variables) = await StagingAsync();
        _repository.Write(
            "supabase/migrations/20991231000000_broken.sql",
            "alter table no_such_table add column x int;"
        );

        var run = await SuiteRun.RunInAsync(_repository.Root, variables, "--target=ApplyMigrations", "--env=staging");

        run.ExitCode.Should().Be(1, run.All);
        run.Out.Should().Contain("Backing up staging beside the replay");
        run.All.Should().Contain("replay-failed").And.Contain("20991231000000_broken.sql");
        run.Out.Should()
            .NotMatchRegex(@"BackupDb\s+\S+\s+Succeeded")
            .And.NotMatchRegex(@"ApplyMigrations\s+\S+\s+Succeeded");
        (await NothingApplied(db)).Should().BeTrue("the replay failed, so nothing was applied");
        Backups().Should().ContainSingle("the backup already under way was finished, not left half-written");
    }

    [Test]
    public async Task A_history_check_that_fails_beside_the_replay_is_the_error_reported_not_the_cancelled_replay()
    {
        // The target is unreachable: its history check fails while the replay runs on the scratch server.
        var closedPort = Build.Migrations.Scratch.ScratchPostgres.FreeLoopbackPort();
        var variables = new Dictionary<string, string>
        {
            ["STAGING_DATABASE_URL"] = $"postgresql://postgres:not-shown@127.0.0.1:{closedPort}/postgres",
            ["SCRATCH_DATABASE_URL"] = DatabaseUrl.ToUrl(PostgresServerFixture.Server.AdminConnectionString),
        };

        var run = await SuiteRun.RunInAsync(_repository.Root, variables, "--target=CheckMigrations", "--env=staging");

        run.ExitCode.Should().NotBe(0, run.All);
        run.All.Should().Contain($"127.0.0.1:{closedPort}", "the history check's own error names the target");
        run.All.Should()
            .NotContainEquivalentOf("was canceled", "the replay it stopped is not the error")
            .And.NotContainEquivalentOf("was cancelled");
        run.All.Should().NotContain("not-shown");
        run.Out.Should().MatchRegex(@"CheckMigrations\s+\S+\s+Failed");
    }
}
