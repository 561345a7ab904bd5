using System.Text.Json.Nodes;
using Build.Migrations;
using Build.Migrations.Lint;
using Build.Tests.Infrastructure;

namespace Build.Tests.Migrations;

/// <summary>
/// LintMigrations end to end (in-process, as ./build.sh runs it) on a migrations folder of its own, chosen through a
/// copy of environments.json: errors block production (or --strict) and are warnings elsewhere.
/// </summary>
[NonParallelizable]
public sealed class LintMigrationsTargetTests
{
    private string _dir = "";
    private string _config = "";

    [OneTimeSetUp]
    public void WriteMigrationsAndConfig()
    {
        _dir = Path.Combine(Path.GetTempPath(), "lint-target-" + Guid.NewGuid().ToString("N")[..8]);
        var migrations = Path.Combine(_dir, "migrations");
        Directory.CreateDirectory(migrations);
        File.WriteAllText(
            Path.Combine(migrations, "20250101000000_cleanup.sql"),
            "-- remove the old audit table\n/* drop table keep_me; */\ndrop table public.audit_log;\ncreate index " +
            "messages_body_idx on public.messages (body);\n"
        );
        File.WriteAllText(
            Path.Combine(migrations, "20250101000100_allowed.sql"),
            "-- lint:allow truncate reason: staging copy of import rows, rebuilt nightly\ntruncate " +
            "public.import_rows;\n"
        );

        _config = TestConfiguration.Write(_dir, config => config["project"]!["migrationsPath"] = migrations);
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private Task<SuiteRun.Result> Run(params string[] args) =>
        SuiteRun.RunAsync(
            TestSecrets.For("PRODUCTION", "iyeueszchbvlutlcmvcb"),
            [$"--config={_config}", "--target=LintMigrations", .. args]
        );

    [Test]
    public async Task Outside_production_errors_are_printed_as_warnings_and_the_run_passes()
    {
        var run = await Run("--env=local");
        run.ExitCode.Should().Be(0, run.All);
        run.All.Should()
            .Contain("migrations/20250101000000_cleanup.sql:3: error drop-table: DROP TABLE public.audit_log (");
        run.All.Should().Contain("migrations/20250101000000_cleanup.sql:4: warning create-index-without-concurrently:");
        run.All.Should()
            .Contain("20250101000100_allowed.sql:2: allowed truncate:")
            .And.Contain("[allowed: staging copy of import rows, rebuilt nightly]");
        run.All.Should().NotContain("keep_me:", "the commented-out DROP is not a finding");
        run.All.Should()
            .Contain("Linted 2 migration file(s): 1 error(s), 1 warning(s), 1 allowed by marker - not blocking");
    }

    [Test]
    public async Task Production_fails_on_an_error_that_is_not_allowed()
    {
        var run = await Run("--env=production");
        run.ExitCode.Should().NotBe(0);
        run.All.Should().Contain("Migration lint found 1 blocking error(s) for 'production'").And.Contain("lint:allow");
    }

    [Test]
    public async Task Strict_fails_anywhere_and_since_limits_the_batch()
    {
        (await Run("--env=local", "--strict")).ExitCode.Should().NotBe(0);
        var later = await Run("--env=local", "--strict", "--since=20250101000000");
        later.ExitCode.Should().Be(0, later.All);
        later.All.Should().Contain("Linted 1 migration file(s): 0 error(s), 0 warning(s), 1 allowed by marker");
    }

    [Test]
    public async Task Under_github_actions_findings_become_annotations_and_a_summary_table()
    {
        var summary = Path.Combine(_dir, "summary.md");
        var variables = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = summary,
        };
        var run = await SuiteRun.RunAsync(variables, $"--config={_config}", "--target=LintMigrations", "--env=local");
        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should()
            .MatchRegex(
                @"::warning file=[^,]*20250101000000_cleanup\.sql,line=3,col=1,title=drop-table::drop-table: DROP " +
                @"TABLE public\.audit_log"
            );
        File.ReadAllText(summary).Should().Contain("### Migration lint").And.Contain("| warning | `drop-table` |");
    }

    [Test]
    public async Task The_shipped_sample_set_passes_even_for_production()
    {
        var run = await SuiteRun.RunAsync(
            TestSecrets.For("PRODUCTION", "iyeueszchbvlutlcmvcb"),
            "--target=LintMigrations",
            "--env=production"
        );
        run.ExitCode.Should().Be(0, run.All);
        run.All.Should().MatchRegex(@"Linted \d+ migration file\(s\): 0 error\(s\), 0 warning\(s\)");
    }

    [Test]
    public async Task NewMigration_refuses_a_name_that_is_not_snake_case_and_creates_nothing()
    {
        var before = Directory.GetFiles(Path.Combine(_dir, "migrations")).Length;
        var run = await SuiteRun.RunAsync(null, $"--config={_config}", "--target=NewMigration", "--name=AddFeatureX");
        run.ExitCode.Should().NotBe(0);
        run.All.Should().Contain("'AddFeatureX' is not snake_case").And.Contain("--name=add_feature_x");
        Directory.GetFiles(Path.Combine(_dir, "migrations")).Length.Should().Be(before);
    }

    [Test]
    public async Task NewMigration_prints_the_path_it_created()
    {
        var run = await SuiteRun.RunAsync(null, $"--config={_config}", "--target=NewMigration", "--name=add_feature_x");
        run.ExitCode.Should().Be(0, run.All);
        var created = MigrationDirectory
            .Load(Path.Combine(_dir, "migrations"))
            .Files.Single(f => f.Name == "add_feature_x");
        run.All.Should().Contain("Created ").And.Contain(created.FileName);
        MigrationVersion.Compare(created.Version, "20250101000100").Should().BePositive();
        File.Delete(created.Path);
    }
}

public sealed class LintRunOutcomeTests
{
    private static MigrationLintRun RunOn(string sql, bool strict)
    {
        var dir = Path.Combine(Path.GetTempPath(), "lint-run-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "20250101000000_x.sql"), sql);
            return MigrationLintRun.Execute(dir, strict);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Test]
    public void Warnings_never_fail_errors_fail_only_when_strict()
    {
        RunOn("create index i on t (a);", strict: true).Fails.Should().BeFalse();
        RunOn("delete from t;", strict: false).Fails.Should().BeFalse();
        var strict = RunOn("delete from t;", strict: true);
        strict.Fails.Should().BeTrue();
        strict.OutcomeOf(strict.Findings.Single()).Should().Be(LintOutcome.Error);
        RunOn("delete from t;", strict: false).OutcomeOf(strict.Findings.Single()).Should().Be(LintOutcome.Warning);
    }

    [Test]
    public void A_misnamed_file_blocks_a_strict_run()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lint-run-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "add_users.sql"), "select 1;");
            var run = MigrationLintRun.Execute(dir, strict: true);
            run.Fails.Should().BeTrue();
            run.Summary().Should().Contain("1 file name error(s)");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
