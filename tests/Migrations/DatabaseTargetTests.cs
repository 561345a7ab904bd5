using Build.Migrations.Database;
using Build.Migrations.Platform;
using Build.Tests.Infrastructure;

namespace Build.Tests.Migrations;

/// <summary>The migration targets end to end, in-process, on the repository's sample migrations (supabase/).</summary>
public sealed class DatabaseTargetTests
{
    private static async Task<(string Db, Dictionary<string, string> Variables)> LocalDatabaseAsync()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync("target");
        await SupabasePlatform.InstallAsync(db);
        return (db, new Dictionary<string, string> { ["LOCAL_DATABASE_URL"] = DatabaseUrl.ToUrl(db) });
    }

    private static int SampleCount =>
        Directory.GetFiles(Path.Combine(Require.RepositoryRoot, "supabase/migrations"), "*.sql").Length;

    [Test]
    public async Task ApplyMigrations_checks_replays_applies_and_seeds_local_then_has_nothing_left()
    {
        var (db, variables) = await LocalDatabaseAsync();

        var first = await SuiteRun.RunAsync(variables, "--target=ApplyMigrations", "--env=local");
        var second = await SuiteRun.RunAsync(variables, "--target=ApplyMigrations", "--env=local", "--skip-replay");

        first.ExitCode.Should().Be(0, first.All);
        first.Out.Should().Contain($"Replayed {SampleCount} migration(s) and the seed from scratch")
            .And.Contain($"{SampleCount} pending migration(s), applied in one transaction")
            .And.MatchRegex(@"20250301090000_tenants_and_profiles\.sql \(\d+ ms\)")
            .And.Contain("seed supabase/seed.sql (");
        (await TestDatabase.HistoryAsync(db)).Should().HaveCount(SampleCount);
        (await TestDatabase.ScalarAsync(db, "select count(*) > 0 from supabase_migrations.seed_files"))
            .Should()
            .Be(true);
        second.ExitCode.Should().Be(0, second.All);
        second
            .Out.Should()
            .Contain($"Nothing to apply: {SampleCount} migration(s) already applied")
            .And.Contain("unchanged since it was applied, skipped");
    }

    [Test]
    public async Task RollbackMigrations_reverts_the_last_step_and_production_needs_confirmation()
    {
        var (db, variables) = await LocalDatabaseAsync();
        (await SuiteRun.RunAsync(variables, "--target=ApplyMigrations", "--env=local", "--skip-replay"))
            .ExitCode.Should()
            .Be(0);

        var rollback = await SuiteRun.RunAsync(variables, "--target=RollbackMigrations", "--env=local", "--steps=1");
        var production = await SuiteRun.RunAsync(
            new Dictionary<string, string> { ["PROD_DATABASE_URL"] = DatabaseUrl.ToUrl(db) },
            "--target=RollbackMigrations",
            "--env=production",
            "--steps=1"
        );

        rollback.ExitCode.Should().Be(0, rollback.All);
        rollback.Out.Should().MatchRegex(@"Rolled back \d{14}_\w+\.sql");
        (await TestDatabase.HistoryAsync(db)).Should().HaveCount(SampleCount - 1);
        production.ExitCode.Should().NotBe(0);
        production.All.Should().Contain("--confirm=production");
        (await TestDatabase.HistoryAsync(db))
            .Should()
            .HaveCount(SampleCount - 1, "production was refused before anything ran");
    }

    [Test]
    public async Task ApplyMigrations_refuses_the_transaction_pooler_before_connecting_and_never_shows_the_password()
    {
        var variables = new Dictionary<string, string>
        {
            ["STAGING_DATABASE_URL"] =
                "postgresql://postgres.rvjmwwvkhglcuqwcznph:pooler-secret-pw@127.0.0.1:6543/postgres",
        };
        // With the masker off: the refusal itself never carries the URL (masking would hide a message that did).
        var run = await SuiteRun.RunUnmaskedAsync(
            variables,
            "--target=ApplyMigrations",
            "--env=staging",
            "--skip-replay"
        );

        run.ExitCode.Should().NotBe(0);
        run.All.Should()
            .Contain("Supabase's transaction pooler")
            .And.Contain("session pooler")
            .And.NotContain("pooler-secret-pw");
        var masked = await SuiteRun.RunAsync(variables, "--target=ApplyMigrations", "--env=staging", "--skip-replay");
        masked.All.Should().Contain("Supabase's transaction pooler").And.NotContain("pooler-secret-pw");
    }

    [Test]
    public async Task MigrationStatus_for_one_environment_prints_its_column()
    {
        var (db, variables) = await LocalDatabaseAsync();
        (await SuiteRun.RunAsync(variables, "--target=ApplyMigrations", "--env=local", "--skip-replay"))
            .ExitCode.Should()
            .Be(0);

        var run = await SuiteRun.RunAsync(variables, "--target=MigrationStatus", "--env=local");

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should()
            .MatchRegex(@"version\s+name\s+local\s*\n")
            .And.MatchRegex(@"20250301090000\s+tenants_and_profiles\s+applied");
        run.Out.Should().NotContain("staging");
    }

    [Test]
    public async Task MigrationStatus_puts_every_environment_side_by_side_reading_each_ones_own_secret()
    {
        var (db, variables) = await LocalDatabaseAsync();
        (await SuiteRun.RunAsync(variables, "--target=ApplyMigrations", "--env=local", "--skip-replay"))
            .ExitCode.Should()
            .Be(0);
        var empty = await PostgresServerFixture.CreateDatabaseAsync("dev");
        variables["DEV_DATABASE_URL"] = DatabaseUrl.ToUrl(empty);
        variables["PROD_DATABASE_URL"] =
            "postgresql://postgres:prod-pw-hidden@127.0.0.1:" +
            $"{Build.Migrations.Scratch.ScratchPostgres.FreeLoopbackPort()}/postgres";

        var run = await SuiteRun.RunAsync(variables, "--target=MigrationStatus");

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().MatchRegex(@"version\s+name\s+local\s+dev\s+staging\s+production")
            .And.MatchRegex(@"20250301090000\s+tenants_and_profiles\s+applied\s+pending\s+not configured\s+unreachable")
            .And.Contain("staging: not configured: STAGING_DATABASE_URL is not set")
            .And.Contain("production: unreachable (127.0.0.1:");
        run.All.Should().NotContain("prod-pw-hidden");
        run.VariablesRead.Should().Contain(["DEV_DATABASE_URL", "STAGING_DATABASE_URL", "PROD_DATABASE_URL"]);
    }
}
