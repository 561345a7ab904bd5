using Build.Migrations;

namespace Build.Tests.Migrations;

public sealed class SqlNonTransactionalDetectorTests
{
    private static MigrationFile File(string sql, string version = "20240101000000", string name = "m") =>
        new(version, name, $"/m/{version}_{name}.sql", sql);

    [TestCase("create index concurrently i on t (a);", "CREATE INDEX CONCURRENTLY", 1)]
    [TestCase(
        "-- speed up lookups\ncreate unique index concurrently if not exists i on t (a);",
        "CREATE INDEX CONCURRENTLY",
        2
    )]
    [TestCase("drop index concurrently if exists i;", "DROP INDEX CONCURRENTLY", 1)]
    [TestCase("reindex (verbose) index concurrently i;", "REINDEX ... CONCURRENTLY", 1)]
    [TestCase("reindex schema public;", "REINDEX SCHEMA", 1)]
    [TestCase("select 1;\nvacuum analyze messages;", "VACUUM", 2)]
    [TestCase("alter system set work_mem = '64MB';", "ALTER SYSTEM", 1)]
    [TestCase("create database other;", "CREATE DATABASE", 1)]
    [TestCase("alter table events detach partition events_2020 concurrently;", "DETACH PARTITION ... CONCURRENTLY", 1)]
    public void Statements_postgres_refuses_in_a_transaction(string sql, string what, int line)
    {
        var result = NonTransactionalDetector.Detect(File(sql));
        result.Should().NotBeNull();
        result!.Reason.Should().StartWith(what).And.Contain("cannot run inside a transaction block");
        result.Line.Should().Be(line);
    }

    [TestCase("-- pg-delta: transaction=false\ncreate table t (id int);")]
    [TestCase("--pg-delta:transaction = false\r\nselect 1;")]
    public void The_first_line_marker_asks_for_it(string sql)
    {
        NonTransactionalDetector.Detect(File(sql))!.Reason.Should().Contain("pg-delta: transaction=false");
    }

    [TestCase("create index i on t (a);")]
    [TestCase("-- create index concurrently i on t (a);\nselect 1;")]
    [TestCase("select 'vacuum; alter system set x = 1';")]
    [TestCase("create function f() returns void language plpgsql as $$ begin execute 'vacuum'; end $$;")]
    [TestCase("select 1;\n-- pg-delta: transaction=false")]
    [TestCase("reindex index i;")]
    [TestCase("alter type mood add value 'meh';\nselect 1;")]
    public void Ordinary_or_commented_statements_run_in_the_transaction(string sql)
    {
        NonTransactionalDetector.Detect(File(sql)).Should().BeNull();
    }

    [Test]
    public void An_enum_value_used_later_in_the_same_file_makes_the_file_non_transactional()
    {
        var result = NonTransactionalDetector.Detect(
            File(
                "alter type public.mood add value if not exists 'meh' after 'ok';\nupdate t set m = 'meh' where m is " +
                "null;"
            )
        );
        result!.Line.Should().Be(1);
        result.Reason.Should().Contain("ALTER TYPE public.mood ADD VALUE 'meh'").And.Contain("line 2 of the same file");
    }

    [Test]
    public void An_enum_value_used_in_a_later_file_of_the_batch_makes_the_adding_file_run_on_its_own()
    {
        var batch = new[]
        {
            File("create table a (id int);", "20240101000000", "a"),
            File("alter type mood add value 'meh';", "20240101000001", "add_meh"),
            File("select 1;", "20240101000002", "unrelated"),
            File("insert into t (m) values ('meh');", "20240101000003", "use_meh"),
        };
        var results = NonTransactionalDetector.DetectInBatch(batch);
        results.Select(r => r.File.Name).Should().Equal("add_meh");
        results[0].Reason.Should().Contain("20240101000003_use_meh.sql:1");

        // Without the later file, the value is not used in the batch: everything runs in the transaction.
        NonTransactionalDetector.DetectInBatch(batch[..3]).Should().BeEmpty();
    }

    [Test]
    public void A_comment_mentioning_the_value_is_not_a_use()
    {
        NonTransactionalDetector
            .DetectInBatch([File("alter type mood add value 'meh';", "1", "a"), File("-- 'meh'\nselect 1;", "2", "b")])
            .Should()
            .BeEmpty();
    }
}
