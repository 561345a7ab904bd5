using Build.Migrations.Database;
using Build.Migrations.Platform;
using Build.Tests.Infrastructure;
using Build.Tests.Migrations;

namespace Build.Tests.Gates;

/// <summary>dev uses production's database (accepted in environments.json): writing to it carries production's gates,
/// against a real PostgreSQL standing in for the shared database.</summary>
public class SharedDatabaseTests
{
    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("shared-db-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private static int SampleCount =>
        Directory.GetFiles(Path.Combine(Require.RepositoryRoot, "supabase/migrations"), "*.sql").Length;

    private async Task<(string Db, Dictionary<string, string> Variables, string Config)> SharedAsync()
    {
        Require.Service(
            Build.Backup.PostgresClientTools.Candidates(Environment.GetEnvironmentVariable).Any(),
            "pg_dump"
        );
        var db = await PostgresServerFixture.CreateDatabaseAsync("shared");
        await SupabasePlatform.InstallAsync(db);
        var backups = Path.Combine(_folder, "backups");
        // The shipped file as it is (dev shares production's project), with backups written under this test's folder.
        var config = TestConfiguration.Write(
            _folder,
            json => json["environments"]!["dev"]!["backup"]!["directory"] = backups
        );
        return (db, new Dictionary<string, string> { ["DEV_DATABASE_URL"] = DatabaseUrl.ToUrl(db) }, config);
    }

    private string[] Backups() =>
        Directory.Exists(Path.Combine(_folder, "backups"))
            ? Directory.GetFiles(Path.Combine(_folder, "backups"), "*.dump", SearchOption.AllDirectories)
            : [];

    [Test]
    public async Task Writing_to_dev_needs_productions_confirmation_and_touches_nothing_without_it()
    {
        var (db, variables, config) = await SharedAsync();

        var run = await SuiteRun.RunAsync(
            variables,
            "--target=ApplyMigrations",
            "--env=dev",
            "--skip-replay",
            $"--config={config}"
        );

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("'dev' uses the same database as 'production'").And.Contain("--confirm=production");
        (await TestDatabase.ScalarAsync(db, "select to_regclass('supabase_migrations.schema_migrations') is null"))
            .Should()
            .Be(true, "nothing was applied");
        Backups().Should().BeEmpty();

        var devName = await SuiteRun.RunAsync(
            variables,
            "--target=ApplyMigrations",
            "--env=dev",
            "--skip-replay",
            "--confirm=dev",
            $"--config={config}"
        );
        devName.ExitCode.Should().Be(1, "the data at risk is production's: its name is the one to type");
    }

    [Test]
    public async Task Confirmed_it_backs_up_first_applies_and_does_not_seed()
    {
        var (db, variables, config) = await SharedAsync();

        var run = await SuiteRun.RunAsync(
            variables,
            "--target=ApplyMigrations",
            "--env=dev",
            "--skip-replay",
            "--confirm=production",
            $"--config={config}"
        );

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().MatchRegex(@"BackupDb\s+\S+\s+Succeeded");
        Backups().Should().ContainSingle();
        (await TestDatabase.HistoryAsync(db)).Should().HaveCount(SampleCount);
        run.Out.Should().Contain("Not seeding").And.Contain("--seed --confirm=production");
        (await TestDatabase.ScalarAsync(db, "select to_regclass('supabase_migrations.seed_files') is null"))
            .Should()
            .Be(true, "no seed ran");
    }

    [Test]
    public async Task Seeding_it_needs_seed_and_confirm_production()
    {
        var (db, variables, config) = await SharedAsync();

        var refused = await SuiteRun.RunAsync(
            variables,
            "--target=ApplyMigrations",
            "--env=dev",
            "--skip-replay",
            "--seed",
            $"--config={config}"
        );
        refused.ExitCode.Should().Be(1);

        var seeded = await SuiteRun.RunAsync(
            variables,
            "--target=ApplyMigrations",
            "--env=dev",
            "--skip-replay",
            "--seed",
            "--confirm=production",
            $"--config={config}"
        );
        seeded.ExitCode.Should().Be(0, seeded.All);
        (await TestDatabase.ScalarAsync(db, "select count(*) > 0 from supabase_migrations.seed_files"))
            .Should()
            .Be(true);
    }

    [Test]
    public async Task Exclusive_still_backs_up_and_asks()
    {
        var (db, variables, config) = await SharedAsync();

        var refused = await SuiteRun.RunAsync(
            variables,
            "--target=ApplyMigrations",
            "--env=dev",
            "--exclusive",
            $"--config={config}"
        );
        refused.ExitCode.Should().Be(1);
        refused.Error.Should().Contain("--confirm=production");

        var run = await SuiteRun.RunAsync(
            variables,
            "--target=ApplyMigrations",
            "--env=dev",
            "--exclusive",
            "--confirm=production",
            $"--config={config}"
        );
        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().Contain("backing it up first");
        Backups().Should().ContainSingle();
    }
}
