using Build.Migrations;
using Build.Migrations.Lint;

namespace Build.Tests.Migrations;

public sealed class LintRuleTests
{
    private static MigrationFile File(string sql, string version = "20240101000000", string name = "change") =>
        new(version, name, $"supabase/migrations/{version}_{name}.sql", sql);

    private static IReadOnlyList<LintFinding> Lint(string sql) => MigrationLinter.Lint([File(sql)]);

    private static IReadOnlyList<string> RuleIds(string sql) => Lint(sql).Select(f => f.RuleId).ToList();

    // Each case: a statement on an existing table (not created in the batch) and the rule it must trip.
    [TestCase("drop table public.tenants;", "drop-table")]
    [TestCase("DROP TABLE IF EXISTS audit_log CASCADE;", "drop-table")]
    [TestCase("alter table messages drop column body;", "drop-column")]
    [TestCase("alter table messages drop legacy_flag;", "drop-column")]
    [TestCase("drop schema reporting cascade;", "drop-schema")]
    [TestCase("truncate table messages;", "truncate")]
    [TestCase("delete from messages;", "delete-without-where")]
    [TestCase(
        "with old as (select id from messages where created_at < now()) delete from messages;",
        "delete-without-where"
    )]
    [TestCase("update profiles set display_name = 'x';", "update-without-where")]
    [TestCase("update profiles set display_name = (select name from t where t.id = 1);", "update-without-where")]
    [TestCase("alter table messages alter column body type varchar(200);", "change-column-type")]
    [TestCase("alter table messages alter body set data type text;", "change-column-type")]
    [TestCase("alter table messages alter column body set not null;", "set-not-null")]
    [TestCase("alter table messages add column edited boolean not null;", "add-not-null-column-without-default")]
    [TestCase("alter table messages add column ref int primary key;", "add-not-null-column-without-default")]
    [TestCase(
        "create index messages_created_idx on public.messages (created_at);",
        "create-index-without-concurrently"
    )]
    [TestCase("create unique index if not exists m_idx on only messages (id);", "create-index-without-concurrently")]
    [TestCase("alter table messages rename to chat_messages;", "rename")]
    [TestCase("alter table messages rename column body to content;", "rename")]
    [TestCase("alter table messages rename body to content;", "rename")]
    [TestCase("alter view message_view rename to v2;", "rename")]
    [TestCase(
        "alter table messages add constraint messages_author_fk foreign key (author_id) references profiles (id);",
        "constraint-without-not-valid"
    )]
    [TestCase("alter table messages add check (length(body) < 4000);", "constraint-without-not-valid")]
    [TestCase("create table notes (id bigint primary key);", "table-without-rls")]
    [TestCase("create table public.notes (id bigint primary key);", "table-without-rls")]
    [TestCase(
        "create table \"public\".\"Notes\" (id bigint primary key); alter table public.notes enable row level " +
        "security;",
        "table-without-rls"
    )]
    [TestCase("select 'unterminated;", "unterminated")]
    [TestCase("drop publication if exists supabase_realtime;", "realtime-publication-replaced")]
    [TestCase("create publication supabase_realtime for table messages;", "realtime-publication-replaced")]
    [TestCase("alter publication supabase_realtime set table messages;", "realtime-publication-replaced")]
    [TestCase("commit and chain;", "transaction-control")]
    [TestCase("rollback;", "transaction-control")]
    public void Rule_fires(string sql, string ruleId)
    {
        var findings = Lint(sql);
        findings.Select(f => f.RuleId).Should().Contain(ruleId);
        var finding = findings.First(f => f.RuleId == ruleId);
        finding.Line.Should().Be(1);
        finding.Hint.Should().NotBeNullOrWhiteSpace();
        finding.Format().Should().StartWith($"supabase/migrations/20240101000000_change.sql:1: ").And.Contain(ruleId);
    }

    // The same words where they are harmless: in comments, strings, dollar quotes, or a safe form of the statement.
    [TestCase("-- drop table tenants;\nselect 1;")]
    [TestCase("/* truncate messages; /* nested: delete from x; */ update t set a = 1; */ select 1;")]
    [TestCase("select 'drop table tenants; delete from messages';")]
    [TestCase("select E'it\\'s; truncate messages';")]
    [TestCase("comment on table t is 'alter table t rename to x';")]
    [TestCase("create function f() returns void language plpgsql as $BODY$ begin delete from messages; end $BODY$;")]
    [TestCase("do $$ begin update profiles set x = 1; end $$;")]
    [TestCase("select \"drop table\" from t;")]
    [TestCase("delete from messages where id = 1;")]
    [TestCase("update profiles set display_name = 'x' where id = auth.uid();")]
    [TestCase("alter table messages add column edited boolean not null default false;")]
    [TestCase("alter table messages add column n bigserial not null;")]
    [TestCase("alter table messages add column total int generated always as (1) stored not null;")]
    [TestCase("alter table messages add column note text;")]
    [TestCase("create index concurrently messages_created_idx on messages (created_at);")]
    [TestCase("alter table messages add constraint fk foreign key (a) references b (id) not valid;")]
    [TestCase("alter table messages validate constraint fk;")]
    [TestCase("alter table messages drop constraint fk;")]
    [TestCase("alter table messages rename constraint a to b;")]
    [TestCase("alter table messages alter column body drop not null;")]
    [TestCase("alter table messages alter column body set default 'x';")]
    [TestCase("create table private.notes (id int);")]
    [TestCase("create temp table scratch (id int);")]
    [TestCase("create table notes (id int); alter table notes enable row level security;")]
    [TestCase("set search_path to app; create table notes (id int);")]
    [TestCase("select * from messages for update;")]
    [TestCase("create policy p on messages for update using (true);")]
    [TestCase("grant select, update, delete on messages to authenticated;")]
    [TestCase("alter publication supabase_realtime add table messages;")]
    [TestCase("alter publication supabase_realtime drop table messages;")]
    [TestCase("drop publication my_own_pub; create publication my_own_pub;")]
    [TestCase("begin; select 1; commit;")]
    [TestCase("do $$ begin rollback; end $$;")]
    public void Rule_stays_quiet(string sql)
    {
        Lint(sql).Should().BeEmpty();
    }

    [Test]
    public void A_table_created_earlier_in_the_batch_is_new()
    {
        const string create =
            "create table public.rooms (id bigint primary key, name text);\nalter table public.rooms enable row " +
            "level security;\n";
        const string change =
            "create index rooms_name_idx on rooms (name);\nalter table rooms add column topic text not null;\n"
            + "alter table rooms alter column name type varchar(80);\nalter table rooms rename column name to title;\n"
            + "alter table rooms add constraint c check (id > 0);\ndrop table rooms;\n";

        MigrationLinter
            .Lint([File(create, "20240101000000", "rooms"), File(change, "20240101000001", "rooms_more")])
            .Should()
            .BeEmpty();

        // Judged file by file, the second file's table is assumed to exist already.
        MigrationLinter
            .Lint(
                [File(create, "20240101000000", "rooms"), File(change, "20240101000001", "rooms_more")],
                new LintOptions { EachFileIsItsOwnBatch = true }
            )
            .Select(f => (f.RuleId, f.Line))
            .Should()
            .BeEquivalentTo(
                new[]
                {
                    ("create-index-without-concurrently", 1),
                    ("add-not-null-column-without-default", 2),
                    ("change-column-type", 3),
                    ("rename", 4),
                    ("constraint-without-not-valid", 5),
                    ("drop-table", 6),
                }
            );
    }

    [Test]
    public void Rls_enabled_in_a_later_file_of_the_batch_counts()
    {
        var files = new[]
        {
            File("create table notes (id int);", "20240101000000", "a"),
            File("alter table public.notes enable row level security;", "20240101000001", "b"),
        };
        MigrationLinter.Lint(files).Should().BeEmpty();
        MigrationLinter
            .Lint(files, new LintOptions { EachFileIsItsOwnBatch = true })
            .Select(f => f.RuleId)
            .Should()
            .Equal("table-without-rls");
    }

    [Test]
    public void Findings_point_at_the_line_and_column_of_the_offending_clause()
    {
        var finding = Lint("-- cleanup\nselect 1;\n\nalter table messages\n  add column a text,\n  drop column body;\n")
            .Single();
        (finding.RuleId, finding.Line, finding.Column).Should().Be(("drop-column", 6, 3));
        finding.Message.Should().Be("ALTER TABLE public.messages DROP COLUMN body");
    }

    [TestCase(
        "alter table messages add constraint messages_author_fk foreign key (author_id) references profiles (id);",
        "ALTER TABLE public.messages ADD CONSTRAINT messages_author_fk FOREIGN KEY without NOT VALID"
    )]
    [TestCase(
        "alter table messages add foreign key (author_id) references profiles (id);",
        "ALTER TABLE public.messages ADD FOREIGN KEY without NOT VALID"
    )]
    [TestCase(
        "alter table messages add constraint body_len check (length(body) < 9);",
        "ALTER TABLE public.messages ADD CONSTRAINT body_len CHECK without NOT VALID"
    )]
    public void Constraint_messages_read_as_the_sql_does(string sql, string message)
    {
        Lint(sql).Single(f => f.RuleId == "constraint-without-not-valid").Message.Should().Be(message);
    }

    [Test]
    public void Severities_split_data_loss_and_exposure_from_locking()
    {
        Lint("drop table t;").Single().BlocksProduction.Should().BeTrue();
        Lint("create index i on t (a);").Single().Severity.Should().Be(LintSeverity.Warning);
        Lint("create index i on t (a);").Should().NotContain(f => f.BlocksProduction);
    }

    [TestCase("alter table")]
    [TestCase("alter table t add")]
    [TestCase("alter table t alter column")]
    [TestCase("alter table t add constraint")]
    [TestCase("alter table t rename")]
    [TestCase("create index")]
    [TestCase("create table")]
    [TestCase("drop table")]
    [TestCase("truncate")]
    [TestCase("set search_path to")]
    [TestCase("with x as (select 1)")]
    [TestCase(";;;")]
    public void Incomplete_statements_do_not_crash_the_linter(string sql)
    {
        var act = () => Lint(sql);
        act.Should().NotThrow();
    }

    [Test]
    public void Every_prefix_of_the_sample_set_lints_without_crashing()
    {
        var samples = Build
            .Migrations.MigrationDirectory.Load(
                Path.Combine(Infrastructure.Require.RepositoryRoot, "supabase", "migrations")
            )
            .Files;
        samples.Should().NotBeEmpty();
        foreach (var sample in samples)
            for (var length = 0; length <= sample.Content.Length; length += 7)
            {
                var prefix = sample.Content[..length];
                var act = () => MigrationLinter.Lint([File(prefix)]);
                act.Should().NotThrow($"prefix of {sample.FileName} up to {length}");
            }
    }
}
