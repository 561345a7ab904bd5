using Build.Configuration;
using Build.Data;
using Build.Migrations.Database;
using Build.Tests.Infrastructure;
using Build.Tests.Migrations;

namespace Build.Tests.Data;

/// <summary>CopyData between two real databases: FK order and cycles, self-references, no-PK tables, identity,
/// generated columns, sequences, anonymisation, all-or-nothing.</summary>
public class DataCopierTests
{
    private const string Schema = """
        create table orgs(id int generated always as identity primary key, name text not null,
                          owner_id bigint);
        create table users(id bigserial primary key, org_id int not null references orgs,
                           manager_id bigint references users, email text unique, full_name text,
                           initial text generated always as (left(full_name, 1)) stored);
        alter table orgs add constraint orgs_owner_fk foreign key (owner_id) references users;
        create table audit_log(at timestamptz not null default now(), message text);
        """;

    internal static async Task<string> SourceAsync()
    {
        var source = await PostgresServerFixture.CreateDatabaseAsync("copysrc");
        await TestDatabase.ScalarAsync(
            source,
            Schema
                + """
                insert into orgs(name) select 'org ' || g from generate_series(1, 3) g;
                insert into users(org_id, manager_id, email, full_name)
                    select 1 + g % 3, null, 'person' || g || '@muva.chat', 'Person ' || g from generate_series(1, 50) g;
                update users set manager_id = 1 + (id % 7) where id > 7;
                update orgs set owner_id = id;
                insert into audit_log(message) select 'event ' || g from generate_series(1, 100) g;
                -- duplicates: no key to tell them apart
                insert into audit_log(message) select 'event ' || g from generate_series(1, 2) g;
                select setval('users_id_seq', 60);
                """
        );
        return source;
    }

    internal static async Task<string> TargetAsync()
    {
        var target = await PostgresServerFixture.CreateDatabaseAsync("copydst");
        await TestDatabase.ScalarAsync(target, Schema);
        return target;
    }

    private static readonly CopySettings Public = new();

    [Test]
    public async Task Everything_arrives_in_foreign_key_order_with_identities_generated_columns_sequences_and_the_cycle_rechecked()
    {
        var (source, target) = (await SourceAsync(), await TargetAsync());
        var copier = new DataCopier(_ => { });

        var plan = await DataCopier.PlanAsync(source, target, Public);
        var result = await copier.CopyAsync(source, target, plan, replace: false);

        plan.Tables.Select(t => t.QualifiedName).Should().Equal("public.audit_log", "public.orgs", "public.users");
        plan.CycleKeys.Select(k => k.Name).Should().Equal("orgs_owner_fk");
        plan.Tables.Single(t => t.Name == "audit_log").HasPrimaryKey.Should().BeFalse();
        plan.Tables.Single(t => t.Name == "users").Columns.Select(c => c.Name).Should().NotContain("initial");
        result.Tables.Should().Equal(("public.audit_log", 102L), ("public.orgs", 3L), ("public.users", 50L));
        (await TestDatabase.ColumnAsync(target, "select id || ':' || name || ':' || owner_id from orgs order by id"))
            .Should()
            .Equal(
                await TestDatabase.ColumnAsync(
                    source,
                    "select id || ':' || name || ':' || owner_id from orgs order by id"
                )
            );
        (
            await TestDatabase.ScalarAsync(
                target,
                "select string_agg(id || '>' || coalesce(manager_id, 0) || initial, ',' order by id) from users"
            )
        )
            .Should()
            .Be(
                await TestDatabase.ScalarAsync(
                    source,
                    "select string_agg(id || '>' || coalesce(manager_id, 0) || initial, ',' order by id) from users"
                )
            );
        (
            await TestDatabase.ScalarAsync(
                target,
                "insert into users(org_id, email) values (1, 'new@muva.chat') returning id"
            )
        )
            .Should()
            .Be(61L, "the sequence took the source's position");
        (await TestDatabase.ScalarAsync(target, "insert into orgs(name) values ('new') returning id"))
            .Should()
            .Be(4, "the identity sequence too");
        (
            await TestDatabase.ScalarAsync(
                target,
                "select convalidated from pg_constraint where conname = 'orgs_owner_fk'"
            )
        )
            .Should()
            .Be(true);
    }

    [Test]
    public async Task A_target_with_rows_is_replaced_only_when_confirmed()
    {
        var (source, target) = (await SourceAsync(), await TargetAsync());
        await TestDatabase.ScalarAsync(target, "insert into audit_log(message) values ('kept')");
        var copier = new DataCopier(_ => { });
        var plan = await DataCopier.PlanAsync(source, target, Public);

        var refused = () => copier.CopyAsync(source, target, plan, replace: false);
        (await refused.Should().ThrowAsync<CopyNeedsConfirmationException>())
            .Which.Message.Should()
            .Contain("public.audit_log: 1 row(s)");
        (await TestDatabase.ScalarAsync(target, "select string_agg(message, ',') from audit_log")).Should().Be("kept");

        await copier.CopyAsync(source, target, plan, replace: true);
        (await TestDatabase.ScalarAsync(target, "select count(*) from audit_log where message = 'kept'"))
            .Should()
            .Be(0L);
        (await TestDatabase.ScalarAsync(target, "select count(*) from audit_log")).Should().Be(102L);
    }

    [Test]
    public async Task A_connection_cut_in_the_middle_of_the_copy_leaves_the_target_exactly_as_it_was()
    {
        var (source, target) = (await SourceAsync(), await TargetAsync());
        await TestDatabase.ScalarAsync(
            target,
            "insert into orgs(name) values ('before'); insert into audit_log(message) values ('before')"
        );
        var admin = PostgresServerFixture.Server.AdminConnectionString;
        var cut = false;
        // When the copy reaches users (audit_log and orgs already loaded in its transaction), the target's connection
        // dies.
        var copier = new DataCopier(line =>
        {
            if (!line.Contains("public.users"))
                return;
            TestDatabase
                .ScalarAsync(
                    admin,
                    "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = '" +
                    $"{DataCopier.ApplicationName} target'"
                )
                .GetAwaiter()
                .GetResult();
            cut = true;
        });
        var plan = await DataCopier.PlanAsync(source, target, Public);

        var act = () => copier.CopyAsync(source, target, plan, replace: true);

        await act.Should().ThrowAsync<Exception>();
        cut.Should().BeTrue();
        (await TestDatabase.ScalarAsync(target, "select string_agg(name, ',') from orgs")).Should().Be("before");
        (await TestDatabase.ScalarAsync(target, "select string_agg(message, ',') from audit_log"))
            .Should()
            .Be("before");
        (await TestDatabase.ScalarAsync(target, "select count(*) from users")).Should().Be(0L);
        (await TestDatabase.ScalarAsync(target, "select count(*) from pg_constraint where conname = 'orgs_owner_fk'"))
            .Should()
            .Be(1L, "the dropped cycle key came back with the rollback");
    }

    [Test]
    public async Task Anonymisation_rewrites_columns_on_the_source_side_and_keeps_emails_unique()
    {
        var (source, target) = (await SourceAsync(), await TargetAsync());
        var settings = new CopySettings
        {
            Anonymize = new()
            {
                ["public.users.email"] = "email",
                ["public.users.full_name"] = "fixed:Ana Pérez",
                ["public.audit_log.message"] = "hash",
            },
        };
        var copier = new DataCopier(_ => { });

        await copier.CopyAsync(source, target, await DataCopier.PlanAsync(source, target, settings), replace: false);

        (
            await TestDatabase.ScalarAsync(
                target,
                "select count(*) from users where email like 'person%' or full_name <> 'Ana Pérez' or initial <> 'A'"
            )
        )
            .Should()
            .Be(0L);
        (
            await TestDatabase.ScalarAsync(
                target,
                "select count(distinct email) from users where email ~ '^user-[0-9a-f]{16}@example\\.invalid$'"
            )
        )
            .Should()
            .Be(50L);
        (await TestDatabase.ScalarAsync(target, "select count(*) from audit_log where message ~ '^[0-9a-f]{64}$'"))
            .Should()
            .Be(102L);
        (await TestDatabase.ScalarAsync(source, "select count(*) from users where email like 'person%'"))
            .Should()
            .Be(50L, "the source is only read");

        var unknown = () =>
            DataCopier.PlanAsync(
                source,
                target,
                new CopySettings { Anonymize = new() { ["public.users.phone"] = "null" } }
            );
        (await unknown.Should().ThrowAsync<CopyRefusedException>())
            .Which.Message.Should()
            .Contain("public.users.phone");
        var badRule = () =>
            DataCopier.PlanAsync(
                source,
                target,
                new CopySettings { Anonymize = new() { ["public.users.email"] = "scramble" } }
            );
        (await badRule.Should().ThrowAsync<CopyRefusedException>())
            .Which.Message.Should()
            .Contain("'scramble' is not a rule");
    }

    [Test]
    public async Task A_target_whose_schema_differs_is_refused_naming_table_and_column()
    {
        var source = await SourceAsync();
        var target = await PostgresServerFixture.CreateDatabaseAsync("copydst");
        await TestDatabase.ScalarAsync(
            target,
            "create table orgs(id int primary key, name text, owner_id bigint); create table audit_log(at " +
            "timestamptz, message text)"
        );

        var act = () => DataCopier.PlanAsync(source, target, Public);

        (await act.Should().ThrowAsync<CopyRefusedException>())
            .Which.Message.Should()
            .Contain("public.users does not exist on the target");
    }

    // ---- the target ----

    private static Dictionary<string, string> Variables(string local, string staging) => new()
    {
        ["LOCAL_DATABASE_URL"] = DatabaseUrl.ToUrl(local),
        ["STAGING_DATABASE_URL"] = DatabaseUrl.ToUrl(staging),
        ["PROD_DATABASE_URL"] = DatabaseUrl.ToUrl(staging.Replace("copydst", "nothere")),
    };

    [Test]
    public async Task CopyData_plans_copies_asks_for_confirmation_and_never_writes_into_production()
    {
        var (source, target) = (await SourceAsync(), await TargetAsync());
        var variables = Variables(source, target);

        var dryRun = await SuiteRun.RunAsync(
            variables,
            "--target=CopyData",
            "--from=local",
            "--to=staging",
            "--dryrun"
        );
        var copy = await SuiteRun.RunAsync(variables, "--target=CopyData", "--from=local", "--to=staging");
        var again = await SuiteRun.RunAsync(variables, "--target=CopyData", "--from=local", "--to=staging");
        var production = await SuiteRun.RunAsync(
            variables,
            "--target=CopyData",
            "--from=staging",
            "--to=production",
            "--confirm=production"
        );
        var dev = await SuiteRun.RunAsync(
            variables,
            "--target=CopyData",
            "--from=staging",
            "--to=dev",
            "--confirm=dev"
        );

        dryRun.ExitCode.Should().Be(0, dryRun.All);
        dryRun
            .Out.Should()
            .MatchRegex(@"1\. public\.audit_log\s+~\d+ row\(s\)  \(no primary key\)")
            .And.MatchRegex(@"3\. public\.users");
        copy.ExitCode.Should().Be(0, copy.All);
        copy.Out.Should()
            .Contain("Copied 155 row(s) in 3 table(s) from 'local' to 'staging'")
            .And.Contain("every table's count matches the source");
        again.ExitCode.Should().NotBe(0);
        again.All.Should().Contain("--confirm=staging").And.Contain("Nothing was changed");
        production.ExitCode.Should().NotBe(0);
        production.All.Should().Contain("never writes into production");
        dev.ExitCode.Should().NotBe(0);
        dev.All.Should()
            .Contain("never writes into production")
            .And.Contain("'dev' uses the same database as 'production'");
    }
}
