using Build.Migrations;
using Build.Migrations.Database;
using Build.Migrations.Sql;
using Build.Tests.Infrastructure;

namespace Build.Tests.Migrations;

public sealed class DatabaseRunnerTests
{
    private static MigrationRunner Runner(List<string>? log = null, MigrationRunnerOptions? options = null) =>
        new(options ?? new MigrationRunnerOptions(), m => { lock (log ?? []) log?.Add(m); });

    private static string Table(int n) =>
        $"create table t{n} (id int primary key);\ninsert into t{n} values (1), (2);\n";

    [Test]
    public async Task A_failure_in_the_third_of_five_files_leaves_database_and_history_unchanged()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Add("20240101000001", "one", Table(1))
            .Add("20240101000002", "two", Table(2))
            .Add(
                "20240101000003",
                "three",
                "create table t3 (id int primary key);\n\ninsert into t3 values (1);\nselect * from\n  no_such_table;\n"
            )
            .Add("20240101000004", "four", Table(4))
            .Add("20240101000005", "five", Table(5));

        var apply = () => Runner().ApplyAsync(db, folder.Load());

        var failure = (await apply.Should().ThrowAsync<MigrationFailedException>()).Which;
        failure.File.Should().EndWith("supabase/migrations/20240101000003_three.sql");
        (failure.Line, failure.Column).Should().Be((5, 3), "the error position points at no_such_table on line 5");
        failure.Statement.Should().Be("select * from\n  no_such_table");
        failure.Message.Should().Contain("relation \"no_such_table\" does not exist").And.Contain("Rolled back");
        (await TestDatabase.TablesAsync(db)).Should().BeEmpty();
        (await TestDatabase.HistoryAsync(db)).Should().BeEmpty();
    }

    [Test]
    public async Task Applied_files_are_recorded_as_the_cli_records_them_and_not_run_again()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        var body = """
            create table counters (id int primary key, n int not null default 0);
            CREATE FUNCTION bump(x int) RETURNS int LANGUAGE plpgsql AS $BODY$
            DECLARE y int := 1; -- a comment; with a semicolon
            BEGIN
              UPDATE counters SET n = n + $1 WHERE id = 1 RETURNING n INTO y;
              RETURN y;
            END;
            $BODY$;
            insert into counters values (1, 41);
            select bump(1);
            """;
        using var folder = new MigrationFolder()
            .Add("20240101000001", "body_function", body)
            .Add("20240101000002", "second", Table(2));
        var log = new List<string>();

        var first = await Runner(log).ApplyAsync(db, folder.Load());
        var second = await Runner(log).ApplyAsync(db, folder.Load());

        first
            .Applied.Select(a => a.File.FileName)
            .Should()
            .Equal("20240101000001_body_function.sql", "20240101000002_second.sql");
        second.Applied.Should().BeEmpty();
        second.AlreadyApplied.Should().Be(2);
        (await TestDatabase.ScalarAsync(db, "select n from counters"))
            .Should()
            .Be(42, "the $BODY$ function ran exactly once");
        (
            await TestDatabase.ColumnAsync(
                db,
                "select name || ':' || array_length(statements, 1) from supabase_migrations.schema_migrations order " +
                "by version"
            )
        )
            .Should()
            .Equal("body_function:4", "second:2");
        var stored = await TestDatabase.ColumnAsync(
            db,
            "select unnest(statements) from supabase_migrations.schema_migrations where version = '20240101000001'"
        );
        stored.Should().Equal(SqlStatementSplitter.Split(body));
        log.Should().Contain(l => l.Contains("20240101000001_body_function.sql (") && l.EndsWith(" ms)"));
        log.Should().Contain(l => l.Contains("one transaction"));
        first.ToMarkdown("local").Should().Contain("| 1 | `20240101000001_body_function.sql` | batch 1 |");
    }

    [Test]
    public async Task Statements_the_cli_keeps_together_run_as_written()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        var tricky = File.ReadAllText(Path.Combine(Require.RepositoryRoot, "tests/Migrations/Fixtures/tricky.sql"));
        using var folder = new MigrationFolder().Add("20240101000001", "tricky", tricky)
            .Add("20240101000002", "wrapped", "begin;\ncreate table wrapped (id int);\ncommit;\n")
            .Add("20240101000003", "after", "insert into wrapped values (1);\nselect f_atomic(1) + f_body(1);\n");

        await Runner().ApplyAsync(db, folder.Load());

        (await TestDatabase.ScalarAsync(db, "select f_dollar() || f_body(1) || f_atomic(1)")).Should().Be("a;b22");
        (await TestDatabase.ScalarAsync(db, "select count(*) from \"we;ird \"\"name\"\"\"")).Should().Be(3L);
        (await TestDatabase.HistoryAsync(db)).Should().HaveCount(3);
    }

    [Test]
    public async Task Files_that_cannot_run_in_a_transaction_run_alone_and_the_plan_says_so_first()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Add("20240101000001", "table", Table(1))
            .Add("20240101000002", "index", "create index concurrently t1_id_idx on t1 (id);\n")
            .Add("20240101000003", "more", Table(3))
            .Add("20240101000004", "also", Table(4));
        var log = new List<string>();

        var result = await Runner(log).ApplyAsync(db, folder.Load());

        result
            .Plan.Batches.Select(b => (b.Files.Count, b.Transactional))
            .Should()
            .Equal((1, true), (1, false), (2, true));
        var planLine = log.FindIndex(l =>
            l.Contains("outside a transaction: 20240101000002_index.sql: CREATE INDEX CONCURRENTLY")
        );
        planLine.Should().BeGreaterThanOrEqualTo(0);
        log.FindIndex(l => l.Contains("20240101000001_table.sql ("))
            .Should()
            .BeGreaterThan(planLine, "the plan prints before anything runs");
        (await TestDatabase.ScalarAsync(db, "select indisvalid from pg_index where indexrelid = 't1_id_idx'::regclass"))
            .Should()
            .Be(true);
        (await TestDatabase.HistoryAsync(db)).Should().HaveCount(4);
    }

    [Test]
    public async Task Two_runners_at_once_apply_each_migration_exactly_once_and_the_second_waits()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        // The first migration waits on a lock this test holds: the first run is mid-apply for as long as the test
        // wants.
        const long gateKey = 7_130_013;
        await using var gate = new Npgsql.NpgsqlConnection(db);
        await gate.OpenAsync();
        await new Npgsql.NpgsqlCommand($"select pg_advisory_lock({gateKey})", gate).ExecuteNonQueryAsync();
        using var folder = new MigrationFolder()
            .Add(
                "20240101000001",
                "slow",
                "create table runs (id serial primary key, at timestamptz default clock_timestamp());\ninsert into " +
                $"runs default values;\nselect pg_advisory_xact_lock({gateKey});\n"
            )
            .Add("20240101000002", "after", "insert into runs default values;\n");
        var firstLog = new List<string>();
        var secondLog = new List<string>();
        var options = new MigrationRunnerOptions { AdvisoryLockWait = TimeSpan.FromSeconds(60) };

        var first = Runner(firstLog, options).ApplyAsync(db, folder.Load());
        await Eventually(
            async () =>
                (long)
                    (
                        await new Npgsql.NpgsqlCommand(
                            $"select count(*) from pg_locks where locktype = 'advisory' and objid = {gateKey} and " +
                            "not granted",
                            gate
                        ).ExecuteScalarAsync()
                    )! == 1,
            "the first run to reach the gate"
        );
        var second = Runner(secondLog, options).ApplyAsync(db, folder.Load());
        await Eventually(
            () =>
            {
                lock (secondLog)
                    return Task.FromResult(secondLog.Any(l => l.Contains("Waiting for the migration lock")));
            },
            "the second run to wait for the migration lock"
        );
        await new Npgsql.NpgsqlCommand($"select pg_advisory_unlock({gateKey})", gate).ExecuteNonQueryAsync();
        var results = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(60));

        results[0].Applied.Should().HaveCount(2);
        results[1].Applied.Should().BeEmpty("the second run found everything applied once it got the lock");
        results[1].LockWait.Should().BeGreaterThan(TimeSpan.Zero);
        (await TestDatabase.ScalarAsync(db, "select count(*) from runs")).Should().Be(2L);
    }

    /// <summary>Polls until <paramref name="condition"/> holds (60 s at most): a wait on the event, not a guess of its
    /// time.</summary>
    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task A_runner_that_cannot_get_the_lock_in_time_fails_naming_the_holder()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Add("20240101000001", "one", Table(1));
        await using var holder = new Npgsql.NpgsqlConnection(
            new Npgsql.NpgsqlConnectionStringBuilder(db)
            {
                ApplicationName = "deploy-from-laptop",
                Pooling = false,
            }.ConnectionString
        );
        await holder.OpenAsync();
        await using (
            var take = new Npgsql.NpgsqlCommand(
                $"select pg_advisory_lock({AdvisoryLock.KeyFor("supabase_migrations")})",
                holder
            )
        )
            await take.ExecuteNonQueryAsync();

        var apply = () =>
            Runner(options: new MigrationRunnerOptions { AdvisoryLockWait = TimeSpan.FromSeconds(1) })
                .ApplyAsync(db, folder.Load());

        var error = (await apply.Should().ThrowAsync<MigrationLockTimeoutException>()).Which;
        error
            .Message.Should()
            .Contain($"pid {holder.ProcessID}")
            .And.Contain("deploy-from-laptop")
            .And.Contain("within 1 s");
        (await TestDatabase.TablesAsync(db)).Should().BeEmpty();
    }

    [Test]
    public async Task The_transaction_pooler_port_is_refused_with_the_reason()
    {
        using var folder = new MigrationFolder().Add("20240101000001", "one", Table(1));
        var url =
            "postgresql://postgres.abcdefghijklmnopqrst:secret@aws-0-eu-central-1.pooler.supabase.com:6543/postgres";

        var apply = () => Runner().ApplyAsync(DatabaseUrl.ToConnectionString(url), folder.Load());

        var error = (await apply.Should().ThrowAsync<InvalidOperationException>()).Which;
        error
            .Message.Should()
            .Contain("6543")
            .And.Contain("transaction pooler")
            .And.Contain("session pooler")
            .And.NotContain("secret");
    }

    [Test]
    public async Task Lock_and_statement_timeouts_apply_to_the_migrations()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Add("20240101000001", "slow", "select pg_sleep(3);\n");
        var apply = () =>
            Runner(options: new MigrationRunnerOptions { StatementTimeout = "300ms" }).ApplyAsync(db, folder.Load());

        var error = (await apply.Should().ThrowAsync<MigrationFailedException>()).Which;
        error.SqlState.Should().Be("57014", "statement_timeout cancelled the statement");
        (await TestDatabase.HistoryAsync(db)).Should().BeEmpty();
    }

    [Test]
    public async Task The_seed_runs_when_asked_and_is_recorded_like_the_cli_does()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Add(
            "20240101000001",
            "one",
            "create table tags (name text primary key);\n"
        );
        var seedPath = folder.WriteSeed("insert into tags values ('a'), ('b');\n");
        var options = new MigrationRunnerOptions { Seed = new SeedFile(seedPath, "supabase/seed.sql") };

        var first = await Runner(options: options).ApplyAsync(db, folder.Load());
        var second = await Runner(options: options).ApplyAsync(db, folder.Load());

        first.Seed!.Applied.Should().BeTrue();
        second.Seed!.Applied.Should().BeFalse("an unchanged seed is not run twice");
        (await TestDatabase.ScalarAsync(db, "select count(*) from tags")).Should().Be(2L);
        (await TestDatabase.ScalarAsync(db, "select path || ' ' || hash from supabase_migrations.seed_files"))
            .Should()
            .Be(
                "supabase/seed.sql "
                    + Convert.ToHexStringLower(
                        System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(seedPath))
                    )
            );
    }

    [Test]
    public async Task A_changed_seed_runs_again_and_its_new_hash_is_recorded()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Add(
            "20240101000001",
            "one",
            "create table tags (name text primary key);\n"
        );
        var seedPath = folder.WriteSeed("insert into tags values ('a') on conflict do nothing;\n");
        var options = new MigrationRunnerOptions { Seed = new SeedFile(seedPath, "supabase/seed.sql") };
        await Runner(options: options).ApplyAsync(db, folder.Load());

        File.WriteAllText(seedPath, "insert into tags values ('a'), ('c') on conflict do nothing;\n");
        var log = new List<string>();
        var changed = await Runner(log, options).ApplyAsync(db, folder.Load());

        changed.Seed!.Applied.Should().BeTrue("the seed changed since it was applied");
        (await TestDatabase.ScalarAsync(db, "select string_agg(name, ',' order by name) from tags")).Should().Be("a,c");
        (
            await TestDatabase.ScalarAsync(
                db,
                "select hash from supabase_migrations.seed_files where path = 'supabase/seed.sql'"
            )
        )
            .Should()
            .Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(seedPath))));
        log.Should().NotContain(l => l.Contains("unchanged since it was applied"));
    }
}

public sealed class DatabaseRunnerSplitAndLockTests
{
    [Test]
    public async Task An_enum_value_used_later_in_the_batch_commits_on_its_own_first()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Add(
            "20240101000001",
            "status",
            "create type ticket_status as enum ('open', 'closed');\ncreate table tickets (id int primary key, status " +
            "ticket_status not null);\n"
        );
        await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());
        folder.Add("20240101000002", "add_value", "alter type ticket_status add value 'archived';\n")
              .Add("20240101000003", "use_value", "insert into tickets values (1, 'archived');\n");

        var result = await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());

        result.Plan.Batches.Select(b => b.Transactional).Should().Equal(false, true);
        result.Plan.Batches[0].Reason.Should().Contain("ADD VALUE 'archived'");
        (await TestDatabase.ScalarAsync(db, "select status::text from tickets")).Should().Be("archived");
    }

    [Test]
    public async Task A_migration_that_would_queue_behind_a_lock_fails_after_lock_timeout_and_rolls_back()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Add("20240101000001", "table", "create table busy (id int);\n");
        await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());
        folder.Add("20240101000002", "alter", "create table other (id int);\nalter table busy add column note text;\n");
        await using var blocker = new Npgsql.NpgsqlConnection(
            new Npgsql.NpgsqlConnectionStringBuilder(db) { Pooling = false }.ConnectionString
        );
        await blocker.OpenAsync();
        await using var longTransaction = await blocker.BeginTransactionAsync();
        await using (var read = new Npgsql.NpgsqlCommand("select * from busy", blocker, longTransaction))
            await read.ExecuteNonQueryAsync();

        var apply = () =>
            new MigrationRunner(new MigrationRunnerOptions { LockTimeout = "300ms" }).ApplyAsync(db, folder.Load());

        var error = (await apply.Should().ThrowAsync<MigrationFailedException>()).Which;
        error.SqlState.Should().Be("55P03", "lock_timeout stopped the ALTER from queueing behind the open transaction");
        (error.Line, error.Column).Should().Be((2, 1));
        await longTransaction.RollbackAsync();
        (await TestDatabase.TablesAsync(db)).Should().Equal("busy");
    }
}

public sealed class DatabaseRunnerSqlPassThroughTests
{
    [Test]
    public async Task Operators_and_placeholders_in_migration_text_reach_the_server_untouched()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Add("20240101000001", "operators", """
            create table docs (id int primary key, meta jsonb not null, tags text[] not null default '{}');
            insert into docs values (1, '{"roles": ["admin"], "n": 1}', '{a,b}');
            create function has_role(d jsonb, r text) returns boolean language sql immutable
              as $$ select d -> 'roles' ? r $$;
            create function add(a int, b int) returns int language sql as 'select $1 + $2';
            create view admins as
              select id, meta @> '{"n": 1}' as n_is_one, meta ?| array['roles'] as any_key,
                     tags && array['b'] as tagged, meta->>'n' as n
              from docs where has_role(meta, 'admin');
            """);

        await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());

        (
            await TestDatabase.ScalarAsync(
                db,
                "select n_is_one and any_key and tagged and n = '1' and add(2, 3) = 5 from admins"
            )
        )
            .Should()
            .Be(true);
    }
}

public sealed class DatabaseRunnerNonTransactionalFailureTests
{
    [Test]
    public async Task A_failing_file_outside_a_transaction_says_what_stayed_applied_and_is_not_recorded()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Add("20240101000001", "table", "create table t (id int, email text);\n")
            .Add(
                "20240101000002",
                "indexes",
                "create index concurrently t_id_idx on t (id);\ncreate index concurrently t_email_idx on t (emial);\n"
            );

        var apply = () => new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());

        var error = (await apply.Should().ThrowAsync<MigrationFailedException>()).Which;
        (error.Line, error.Column).Should().Be((2, 1), "PostgreSQL gives no position here: the statement's start");
        error
            .Message.Should()
            .Contain(
                "ran outside a transaction: its statements before line 2 stayed applied and the file is not recorded"
            );
        (await TestDatabase.HistoryAsync(db)).Should().Equal("20240101000001");
        (await TestDatabase.ScalarAsync(db, "select count(*) from pg_indexes where indexname = 't_id_idx'"))
            .Should()
            .Be(1L);
    }
}
