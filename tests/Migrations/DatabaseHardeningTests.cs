using System.Text;
using Build.Migrations;
using Build.Migrations.Database;
using Build.Migrations.Lint;
using Npgsql;

namespace Build.Tests.Migrations;

/// <summary>Faults from the hardening issue, each on a real PostgreSQL: files that end the batch's transaction, bad bytes,
/// timings, the seed after a full rollback, and a server that fails underneath a run.</summary>
public sealed class DatabaseHardeningTests
{
    private static MigrationRunner Runner(List<string>? log = null, MigrationRunnerOptions? options = null) =>
        new(options ?? new MigrationRunnerOptions(), m => { if (log is not null) lock (log) log.Add(m); });

    [TestCase("commit and chain;")]
    [TestCase("COMMIT WORK AND CHAIN;")]
    [TestCase("end and chain;")]
    [TestCase("rollback;")]
    [TestCase("ROLLBACK AND CHAIN;")]
    [TestCase("abort;")]
    [TestCase("prepare transaction 'x';")]
    [TestCase("commit prepared 'x';")]
    [TestCase("rollback to savepoint not_in_this_file;")]
    public async Task Transaction_control_that_would_end_the_batch_is_refused_before_anything_runs(string control)
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Add("20240101000001", "first", "create table first_t (id int);\n")
            .Add("20240101000002", "second", $"create table second_t (id int);\n{control}\ncreate table third_t (id int);\n");

        var apply = () => Runner().ApplyAsync(db, folder.Load());

        var error = (await apply.Should().ThrowAsync<MigrationCheckException>()).Which;
        error.Problems.Should().ContainSingle(p => p.Code == "transaction-control");
        var problem = error.Problems.Single(p => p.Code == "transaction-control");
        (problem.File, problem.Line).Should().Be((Path.Combine(folder.Migrations, "20240101000002_second.sql"), 2));
        error.Message.Should().Contain("20240101000002_second.sql:2").And.Contain("nothing was changed");
        (await TestDatabase.TablesAsync(db)).Should().BeEmpty("nothing ran");
        (await TestDatabase.HistoryAsync(db)).Should().BeEmpty();

        var lint = MigrationLinter.Lint(folder.Load().Files);
        lint.Should().ContainSingle(f => f.RuleId == "transaction-control");
        var finding = lint.Single(f => f.RuleId == "transaction-control");
        (finding.Line, finding.Severity).Should().Be((2, LintSeverity.Error));
    }

    [Test]
    public async Task Wrapping_begin_commit_and_savepoints_of_the_file_itself_still_run()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Add("20240101000001", "wrapped", "begin;\ncreate table w (id int);\ncommit;\nstart transaction;\ninsert into w values (1);\nend;\n")
            .Add("20240101000002", "savepoint", "begin;\nsavepoint s1;\ninsert into w values (2);\nrollback to savepoint s1;\nrelease s1;\ninsert into w values (3);\ncommit and no chain;\n");

        await Runner().ApplyAsync(db, folder.Load());

        (await TestDatabase.ColumnAsync(db, "select id from w order by id")).Should().Equal("1", "3");
        MigrationLinter.Lint(folder.Load().Files).Should().NotContain(f => f.RuleId == "transaction-control");
    }

    [Test]
    public async Task A_file_that_runs_alone_may_control_its_own_transactions()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Add("20240101000001", "alone", "-- pg-delta: transaction=false\ncreate table a (id int);\nbegin;\ninsert into a values (1);\nrollback;\n");

        await Runner().ApplyAsync(db, folder.Load());

        (await TestDatabase.ScalarAsync(db, "select count(*) from a")).Should().Be(0L, "the file's own ROLLBACK undid its insert, as its author meant");
        MigrationLinter.Lint(folder.Load().Files).Should().NotContain(f => f.RuleId == "transaction-control");
    }

    [Test]
    public async Task A_seed_or_down_script_that_would_end_its_transaction_is_refused_too()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Add("20240101000001", "a", "create table a (id int);\n").AddRollback("20240101000001", "a", "drop table a;\ncommit and chain;\n");
        var seed = folder.WriteSeed("insert into a values (1);\nabort;\n");

        var withSeed = () => Runner(options: new MigrationRunnerOptions { Seed = new SeedFile(seed, "supabase/seed.sql") }).ApplyAsync(db, folder.Load());
        var seedError = (await withSeed.Should().ThrowAsync<MigrationCheckException>()).Which;
        seedError.Problems.Should().ContainSingle(p => p.Code == "transaction-control" && p.File == seed && p.Line == 2);
        (await TestDatabase.TablesAsync(db)).Should().BeEmpty("the seed is checked before the migrations run");

        await Runner().ApplyAsync(db, folder.Load());
        var rollback = () => new MigrationRollback(new MigrationRunnerOptions()).RollbackAsync(db, folder.Rollbacks, 1);
        var downError = (await rollback.Should().ThrowAsync<MigrationCheckException>()).Which;
        downError.Problems.Should().ContainSingle(p => p.Code == "transaction-control" && p.Line == 2);
        (await TestDatabase.TablesAsync(db)).Should().Equal("a");
        (await TestDatabase.HistoryAsync(db)).Should().Equal("20240101000001");
    }

    [Test]
    public async Task A_rollback_is_reported_only_after_checking_the_transaction_really_ended_that_way()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        long committed, aborted;
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using var c = new NpgsqlCommand("create table kept (id int); select txid_current()", connection, tx);
            committed = (long)(await c.ExecuteScalarAsync())!;
            await tx.CommitAsync();
        }
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using var c = new NpgsqlCommand("create table gone (id int); select txid_current()", connection, tx);
            aborted = (long)(await c.ExecuteScalarAsync())!;
            await tx.RollbackAsync();
        }

        (await TransactionOutcome.CheckAsync(db, committed)).Should().Be(TransactionState.Committed);
        (await TransactionOutcome.CheckAsync(db, aborted)).Should().Be(TransactionState.Aborted);
        (await TransactionOutcome.CheckAsync(db + ";Port=1;Timeout=2", aborted)).Should().Be(TransactionState.Unknown);
    }

    [Test]
    public async Task A_failing_seed_reports_a_rollback_the_server_confirmed()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Add("20240101000001", "a", "create table a (id int primary key);\n");
        var seed = new SeedFile(folder.WriteSeed("insert into a values (1);\ninsert into a values (1);\n"), "supabase/seed.sql");

        var apply = () => Runner(options: new MigrationRunnerOptions { Seed = seed }).ApplyAsync(db, folder.Load());

        var error = (await apply.Should().ThrowAsync<MigrationFailedException>()).Which;
        (error.Line, error.SqlState).Should().Be((2, "23505"));
        error.Message.Should().MatchRegex(@"Rolled back \(checked on the server: transaction \d+ is aborted\): the seed changed nothing");
        (await TestDatabase.ScalarAsync(db, "select count(*) from a")).Should().Be(0L);
    }

    [Test]
    public async Task A_commit_that_fails_on_a_deferred_constraint_names_the_batch_and_what_the_server_kept()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Add("20240101000001", "a", "create table a (id int, constraint a_id_key unique (id) deferrable initially deferred);\n")
            .Add("20240101000002", "b", "insert into a values (1), (1);\n");

        var apply = () => Runner().ApplyAsync(db, folder.Load());

        var error = (await apply.Should().ThrowAsync<InvalidOperationException>()).Which;
        error.Message.Should().Contain("COMMIT of 2 migration(s) (20240101000001_a.sql .. 20240101000002_b.sql) failed: 23505: duplicate key value")
            .And.MatchRegex(@"The server did not commit it \(checked: transaction \d+ is aborted\): nothing of it was kept");
        (await TestDatabase.TablesAsync(db)).Should().BeEmpty();
        (await TestDatabase.HistoryAsync(db)).Should().BeEmpty();
    }

    [Test]
    public void A_file_that_is_not_utf8_is_refused_with_its_line_and_byte_offset()
    {
        using var folder = new MigrationFolder().Add("20240101000001", "ok", "create table a (id int);\n");
        var bad = Path.Combine(folder.Migrations, "20240101000002_latin1.sql");
        var bytes = Encoding.ASCII.GetBytes("create table b (id int);\ncomment on table b is 'caf").Concat(new byte[] { 0xE9 }).Concat(Encoding.ASCII.GetBytes("';\n")).ToArray();
        File.WriteAllBytes(bad, bytes);

        var contents = folder.Load();

        contents.HasErrors.Should().BeTrue();
        var problem = contents.Problems.Single(p => p.File == "20240101000002_latin1.sql");
        problem.Line.Should().Be(2);
        problem.Message.Should().Contain("not valid UTF-8").And.Contain("byte offset 51").And.Contain("0xE9").And.Contain("iconv");
        contents.Files.Should().NotContain(f => f.FileName == "20240101000002_latin1.sql");
        MigrationChecker.FileProblems(contents).Single(p => p.File!.EndsWith("latin1.sql")).ToString().Should().Contain("20240101000002_latin1.sql:2:");
    }

    [Test]
    public async Task A_utf8_byte_order_mark_is_refused_by_name_and_nothing_runs()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Add("20240101000001", "ok", "create table a (id int);\n");
        File.WriteAllBytes(Path.Combine(folder.Migrations, "20240101000002_bom.sql"), [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("create table b (id int);\n")]);

        var apply = () => Runner().ApplyAsync(db, folder.Load());

        var error = (await apply.Should().ThrowAsync<MigrationCheckException>()).Which;
        error.Message.Should().Contain("20240101000002_bom.sql:1").And.Contain("byte order mark").And.Contain("sed -i");
        (await TestDatabase.TablesAsync(db)).Should().BeEmpty();
    }

    [Test]
    public async Task Each_file_is_timed_against_its_own_statements()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Add("20240101000001", "quick", "create table q (id int);\n")
            .Add("20240101000002", "slow", "create table s (id int);\nselect pg_sleep(1.5);\n")
            .Add("20240101000003", "after", "create table a (id int);\n");
        var log = new List<string>();

        var wall = System.Diagnostics.Stopwatch.StartNew();
        var result = await Runner(log).ApplyAsync(db, folder.Load());
        wall.Stop();

        // No fixed ceiling for the quick files (500 ms could fail on a loaded machine): the sleep is counted once,
        // in its own file. Timed from the start of the run, "after" would hold the sleep too and the three would
        // add up to more than the run took.
        var durations = result.Applied.ToDictionary(a => a.File.Name, a => a.Duration);
        durations["slow"].Should().BeGreaterThan(TimeSpan.FromMilliseconds(1400));
        (durations["quick"] + durations["slow"] + durations["after"]).Should().BeLessThanOrEqualTo(wall.Elapsed,
            "each file is timed from its own start: the sleep is not counted again in the next file");
        log.Single(l => l.Contains("20240101000002_slow.sql (")).Should().MatchRegex(@"\((1[4-9]\d\d|[2-9]\d{3}|\d{5,}) ms\)");
    }

    [Test]
    public async Task After_rolling_back_every_migration_applying_again_runs_the_seed_again()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Add("20240101000001", "a", "create table a (id int primary key);\n").AddRollback("20240101000001", "a", "drop table a;\n");
        var seed = new SeedFile(folder.WriteSeed("insert into a values (1), (2);\n"), "supabase/seed.sql");
        var options = new MigrationRunnerOptions { Seed = seed };
        (await Runner(options: options).ApplyAsync(db, folder.Load())).Seed!.Applied.Should().BeTrue();
        (await Runner(options: options).ApplyAsync(db, folder.Load())).Seed!.Applied.Should().BeFalse("unchanged and its data is there");

        var log = new List<string>();
        await new MigrationRollback(new MigrationRunnerOptions(), log.Add).RollbackAsync(db, folder.Rollbacks, 1);
        var again = await Runner(options: options).ApplyAsync(db, folder.Load());

        again.Seed!.Applied.Should().BeTrue("the seed's table was dropped with the rollback");
        (await TestDatabase.ScalarAsync(db, "select count(*) from a")).Should().Be(2L);
        log.Should().Contain(l => l.Contains("seed") && l.Contains("applied again"));
    }

    [Test]
    public async Task A_server_that_ends_the_session_mid_run_prints_the_postgres_error_and_a_checked_outcome()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Add("20240101000001", "a", "create table a (id int);\n")
            .Add("20240101000002", "slow", "select pg_sleep(20);\n");
        var name = "hardening-" + Guid.NewGuid().ToString("N")[..8];
        var apply = Runner().ApplyAsync(db + $";Application Name={name}", folder.Load());
        await using (var admin = new NpgsqlConnection(db))
        {
            await admin.OpenAsync();
            // Until the runner reaches the slow migration (60 s at most: a loaded machine is slow to get there; 10 s
            // was not always enough, and then the migration simply finished).
            var waited = System.Diagnostics.Stopwatch.StartNew();
            var killed = false;
            while (!killed && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await using var kill = new NpgsqlCommand("select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = $1 and query like '%pg_sleep%'", admin)
                    { Parameters = { new() { Value = name } } };
                killed = (long)(await kill.ExecuteScalarAsync())! > 0;
                if (!killed) await Task.Delay(100);
            }
            killed.Should().BeTrue("the runner reached 20240101000002_slow.sql within 60 s, where it is terminated");
        }

        var error = (await ((Func<Task>)(() => apply)).Should().ThrowAsync<MigrationFailedException>()).Which;
        error.Message.Should().Contain("57P01").And.Contain("terminating connection due to administrator command")
            .And.Contain("20240101000002_slow.sql").And.NotContain("NpgsqlTransaction");
        error.Message.Should().Contain("Rolled back (checked").And.NotContain(":0/");
        (await TestDatabase.TablesAsync(db)).Should().BeEmpty();
        (await TestDatabase.HistoryAsync(db)).Should().BeEmpty();
    }

    [Test]
    public async Task A_broken_session_is_named_by_its_address_not_as_port_zero()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync("replay");
        await using var connection = new NpgsqlConnection(db + ";Pooling=false");
        await connection.OpenAsync();
        await using (var admin = new NpgsqlConnection(db))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand($"select pg_terminate_backend({connection.ProcessID})", admin);
            await kill.ExecuteNonQueryAsync();
        }

        var install = () => Build.Migrations.Platform.SupabasePlatform.InstallAsync(connection);

        var builder = new NpgsqlConnectionStringBuilder(db);
        (await install.Should().ThrowAsync<Exception>()).Which.Message.Should()
            .Contain($"{builder.Host}:{builder.Port}/{builder.Database}").And.NotContain(":0/").And.MatchRegex(@"57P01|08006\): .*(Broken pipe|stream)");
    }
}
