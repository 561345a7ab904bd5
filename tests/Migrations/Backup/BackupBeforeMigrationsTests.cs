using System.Text.Json;
using Build.Backup;
using Build.Migrations.Database;
using Build.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Build.Tests.Migrations.Backup;

/// <summary>
/// The backup gate through the real target graph: ApplyMigrations --env=staging / --env=production against a real
/// PostgreSQL with the real pg_dump. The backup is on disk, complete (manifest written, checksum right, without the
/// migrations' tables) before the first migration statement runs; a backup that fails stops the run with nothing
/// applied.
/// </summary>
[NonParallelizable] // one test sets PG_DUMP in the process environment (where the suite reads it)
public class BackupBeforeMigrationsTests
{
    private MigrationFolder _folder = null!;
    private string _backups = null!, _config = null!;
    private WireMockServer _slack = null!;

    [SetUp]
    public void Prepare()
    {
        Require.Service(
            PostgresClientTools.Candidates(Environment.GetEnvironmentVariable).Any(),
            "pg_dump (postgresql-client)"
        );
        // The first statement of the first migration stamps the database clock: nothing can have run before it.
        _folder = new MigrationFolder()
            .Add(
                "20990101000000",
                "first",
                "create table first_statement as select clock_timestamp() as at;\ncreate table notes(id int primary " +
                "key, body text);"
            )
            .Add("20990101000100", "second", "insert into notes values (1, 'hello');");
        _backups = Path.Combine(_folder.Root, "backups");
        _config = TestConfiguration.Write(_folder.Root, json =>
        {
            json["project"]!["migrationsPath"] = _folder.Migrations;
            json["project"]!["rollbacksPath"] = _folder.Rollbacks;
            json["project"]!["seedPath"] = Path.Combine(_folder.Root, "supabase", "seed.sql");
            string[] environments = ["staging", "production"];
            foreach (var environment in environments)
                json["environments"]![environment]!["backup"]!["directory"] = Path.Combine(_backups, environment);
        });
        _slack = WireMockServer.Start();
        _slack
            .Given(Request.Create().WithPath("/slack").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        _slack
            .Given(Request.Create().WithPath("/discord").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(204));
    }

    [TearDown]
    public void Remove()
    {
        _slack.Stop();
        _folder.Dispose();
    }

    /// <summary>A database with the customers the backup must hold, and no migration history yet.</summary>
    private static async Task<string> TargetAsync()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync("gate");
        await TestDatabase.ScalarAsync(
            db,
            "create table customers(id int primary key, name text); insert into customers values (1, 'a'), (2, 'b'), " +
            "(3, 'c');"
        );
        return db;
    }

    private Dictionary<string, string> Variables(string environment, string db) => new()
    {
        [environment == "production" ? "PROD_DATABASE_URL" : "STAGING_DATABASE_URL"] = DatabaseUrl.ToUrl(db),
        ["SLACK_WEBHOOK_URL"] = $"{_slack.Urls[0]}/slack",
        ["DISCORD_WEBHOOK_URL"] = $"{_slack.Urls[0]}/discord",
        ["GITHUB_SHA"] = "89abcdef0123456789abcdef0123456789abcdef",
    };

    private static string[] Arguments(string environment, string config) =>
        environment == "production"
            ?
            [
                "--target=ApplyMigrations",
                "--env=production",
                "--confirm=production",
                "--skip-replay",
                $"--config={config}",
            ]
            : ["--target=ApplyMigrations", "--env=staging", "--skip-replay", $"--config={config}"];

    [TestCase("staging")]
    [TestCase("production")]
    public async Task The_backup_is_complete_on_disk_before_the_first_migration_statement_runs(string environment)
    {
        var db = await TargetAsync();

        var run = await SuiteRun.RunAsync(Variables(environment, db), Arguments(environment, _config));

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().MatchRegex(@"BackupDb\s+\S+\s+Succeeded").And.MatchRegex(@"ApplyMigrations\s+\S+\s+Succeeded");
        (await TestDatabase.HistoryAsync(db)).Should().Equal("20990101000000", "20990101000100");

        var dumps = Directory.GetFiles(Path.Combine(_backups, environment), "*.dump");
        var dump = dumps.Should().ContainSingle().Subject;
        Path.GetFileName(dump).Should().MatchRegex($@"^{environment}-\d{{14}}\.dump$");
        var manifestPath = BackupManifest.PathFor(dump);
        var manifest = BackupManifest.ReadFor(dump);
        await manifest.CheckFileAsync(dump); // size and SHA-256 of the file on disk match what the manifest recorded

        // Finished before: the manifest is the backup's last write (after pg_dump, the read-back check, the hash and
        // the final name); the migration's first statement stamped the database clock after it.
        var firstStatement = (DateTime)(await TestDatabase.ScalarAsync(db, "select at from first_statement"))!;
        File.GetLastWriteTimeUtc(manifestPath).Should().BeBefore(firstStatement.ToUniversalTime(),
            "the backup must be complete before the first migration statement runs");
        File.GetLastWriteTimeUtc(dump).Should().BeBefore(firstStatement.ToUniversalTime());

        // And it holds the database as it was before: the customers, none of the migrations' tables or history.
        manifest.Tables.Should().ContainKey("public.customers").WhoseValue.Should().Be(3);
        manifest.Tables.Keys.Should().NotContain(k => k.Contains("first_statement") || k.Contains("notes"));
        manifest.NewestMigration.Should().BeNull();
        var client = PostgresClientTools.Find(manifest.ServerMajor);
        var list = System.Diagnostics.Process.Start(
            new System.Diagnostics.ProcessStartInfo(client.PgRestore, ["--list", dump])
            {
                RedirectStandardOutput = true,
            }
        )!;
        var toc = await list.StandardOutput.ReadToEndAsync();
        await list.WaitForExitAsync();
        list.ExitCode.Should().Be(0);
        toc.Should().Contain("TABLE DATA public customers").And.NotContain("first_statement").And.NotContain(" notes ");

        // The success notice names the backup and the migrations applied.
        var text = JsonDocument
            .Parse(_slack.LogEntries.Single(e => e.RequestMessage.Path == "/slack").RequestMessage.Body!)
            .RootElement.GetProperty("text")
            .GetString()!;
        text.Should()
            .MatchRegex(
                $@"^✅ ApplyMigrations on {environment} succeeded at 89abcde in \d+ s\n"
                    + "Migrations applied: 2 \\(20990101000000_first\\.sql, 20990101000100_second\\.sql\\)\n"
                    + $@"Backup: {System.Text.RegularExpressions.Regex.Escape(Path.GetFileName(dump))} \(\d+\.\d MB\)\n"
            );
    }

    [TestCase("staging")]
    [TestCase("production")]
    public async Task A_backup_that_fails_stops_the_run_before_any_migration_and_nothing_is_applied(string environment)
    {
        var db = await TargetAsync();
        // A pg_dump that reports the server's version, writes half a file and dies (a dropped connection, a full disk).
        var fake = Path.Combine(_folder.Root, "bin", "pg_dump");
        Directory.CreateDirectory(Path.GetDirectoryName(fake)!);
        var real = PostgresClientTools.Find(15);
        File.WriteAllText(fake, $$"""
            #!/bin/sh
            if [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) {{await ServerMajorAsync(db)}}.9"; exit 0; fi
            for a in "$@"; do [ "$prev" = "--file" ] && printf 'PGDMP partial' > "$a"; prev="$a"; done
            echo "pg_dump: error: connection to server lost" >&2
            exit 1
            """);
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Copy(real.PgRestore, Path.Combine(_folder.Root, "bin", "pg_restore"));
        var before = Environment.GetEnvironmentVariable(PostgresClientTools.PgDumpVariable);
        Environment.SetEnvironmentVariable(PostgresClientTools.PgDumpVariable, fake);
        SuiteRun.Result run;
        try { run = await SuiteRun.RunAsync(Variables(environment, db), Arguments(environment, _config)); }
        finally { Environment.SetEnvironmentVariable(PostgresClientTools.PgDumpVariable, before); }

        run.ExitCode.Should().NotBe(0, run.All);
        run.All.Should().Contain("pg_dump failed (exit 1)").And.Contain("connection to server lost");
        run.Out.Should().MatchRegex(@"BackupDb\s+\S+\s+Failed");
        run.Out.Should().NotMatchRegex(@"ApplyMigrations\s+\S+\s+Succeeded");
        (await TestDatabase.HistoryAsync(db).ContinueWith(t => t.IsFaulted ? [] : t.Result))
            .Should()
            .BeEmpty("nothing was applied");
        (await TestDatabase.TablesAsync(db)).Should().Equal("customers");
        (
            Directory.Exists(Path.Combine(_backups, environment))
                ? Directory.GetFiles(Path.Combine(_backups, environment))
                : []
        )
            .Should()
            .BeEmpty("a failed dump leaves no file that could pass for a backup");
        var text = JsonDocument
            .Parse(_slack.LogEntries.Single(e => e.RequestMessage.Path == "/slack").RequestMessage.Body!)
            .RootElement.GetProperty("text")
            .GetString()!;
        text.Should()
            .StartWith($"❌ ApplyMigrations on {environment} FAILED")
            .And.Contain("Failed task: BackupDb: pg_dump failed (exit 1)");
    }

    private static async Task<int> ServerMajorAsync(string db) =>
        Convert.ToInt32(
            await TestDatabase.ScalarAsync(db, "select current_setting('server_version_num')::int / 10000")
        );
}
