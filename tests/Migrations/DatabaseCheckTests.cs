using Build.Migrations;
using Build.Migrations.Database;
using Build.Migrations.Platform;

namespace Build.Tests.Migrations;

public sealed class DatabaseCheckTests
{
    private static readonly DateTime Now = new(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static async Task<string> DatabaseWithAppliedAsync(MigrationFolder folder)
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());
        return db;
    }

    private static Task<IReadOnlyList<MigrationProblem>> CheckAsync(
        string db,
        MigrationFolder folder,
        bool allowOutOfOrder = false
    ) => new MigrationChecker().CheckHistoryAsync(db, folder.Load(), allowOutOfOrder, "$STAGING_DATABASE_URL", Now);

    [Test]
    public async Task A_history_version_without_a_local_file_is_an_error_with_the_repair_command()
    {
        using var folder = new MigrationFolder()
            .Add("20240101000001", "one", "create table a (id int);")
            .Add("20240101000002", "two", "create table b (id int);");
        var db = await DatabaseWithAppliedAsync(folder);
        File.Delete(Path.Combine(folder.Migrations, "20240101000002_two.sql"));

        var problems = await CheckAsync(db, folder);

        problems
            .Should()
            .ContainSingle()
            .Which.Message.Should()
            .Contain(
                "version 20240101000002 (two) is in the database's history but there is no " +
                "supabase/migrations/20240101000002_*.sql file"
            )
            .And.Contain(
                "npx supabase migration repair --status reverted 20240101000002 --db-url \"$STAGING_DATABASE_URL\""
            );
        var apply = () => new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());
        (await apply.Should().ThrowAsync<MigrationCheckException>())
            .Which.Problems.Should()
            .ContainSingle(p => p.Code == "missing-local-file");
    }

    [Test]
    public async Task An_applied_file_edited_afterwards_is_an_error_with_a_diff()
    {
        using var folder = new MigrationFolder().Add(
            "20240101000001",
            "profiles",
            "create table profiles (\n  id uuid primary key,\n  name text\n);\n"
        );
        var db = await DatabaseWithAppliedAsync(folder);
        folder.Add(
            "20240101000001",
            "profiles",
            "create table profiles (\n  id uuid primary key,\n  name text not null\n);\n"
        );

        var problem = (await CheckAsync(db, folder)).Should().ContainSingle().Which;

        problem.Code.Should().Be("changed-after-apply");
        problem.File.Should().EndWith("20240101000001_profiles.sql");
        problem.Message.Should().Contain("was edited after it was applied")
            .And.Contain("--- applied (20240101000001").And.Contain("+++ local")
            .And.Contain("\n-  name text\n+  name text not null\n");
    }

    [Test]
    public async Task An_applied_file_edited_only_in_letter_case_is_an_edit()
    {
        // 'Admin' and 'admin' are different data: a case-only edit changes what the migration does.
        using var folder = new MigrationFolder().Add(
            "20240101000001",
            "roles",
            "create table roles (name text);\ninsert into roles values ('Admin');\n"
        );
        var db = await DatabaseWithAppliedAsync(folder);
        folder.Add("20240101000001", "roles", "create table roles (name text);\ninsert into roles values ('admin');\n");

        var problem = (await CheckAsync(db, folder)).Should().ContainSingle().Which;

        problem.Code.Should().Be("changed-after-apply");
        problem
            .Message.Should()
            .Contain("-insert into roles values ('Admin')")
            .And.Contain("+insert into roles values ('admin')");
    }

    [Test]
    public async Task A_pending_file_older_than_the_newest_applied_one_is_an_error_with_the_rename_unless_allowed()
    {
        using var folder = new MigrationFolder()
            .Add("20240101000001", "one", "create table a (id int);")
            .Add("20240301000000", "three", "create table c (id int);");
        var db = await DatabaseWithAppliedAsync(folder);
        folder.Add("20240201000000", "from_other_branch", "create table b (id int);");

        var problem = (await CheckAsync(db, folder)).Should().ContainSingle().Which;

        problem.Code.Should().Be("out-of-order");
        problem
            .Message.Should()
            .Contain("older than 20240301000000")
            .And.MatchRegex(
                @"git mv \S*20240201000000_from_other_branch\.sql \S*/20240601120000_from_other_branch\.sql"
            );
        (await CheckAsync(db, folder, allowOutOfOrder: true)).Should().BeEmpty();
    }

    [Test]
    public async Task A_bad_file_name_is_reported_and_stops_apply()
    {
        using var folder = new MigrationFolder().Add("20240101000001", "one", "create table a (id int);");
        File.WriteAllText(Path.Combine(folder.Migrations, "add_users.sql"), "create table users (id int);");

        var report = await new MigrationChecker().CheckAsync(folder.Load(), null, false, "$X", null, null);

        report
            .Errors.Should()
            .ContainSingle()
            .Which.ToString()
            .Should()
            .Contain("add_users.sql")
            .And.Contain("file name must be <timestamp>_<name>.sql");
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        var apply = () => new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());
        await apply.Should().ThrowAsync<MigrationCheckException>();
        (await TestDatabase.TablesAsync(db)).Should().BeEmpty();
    }

    [Test]
    public async Task The_replay_names_file_line_column_and_statement_of_a_broken_migration()
    {
        using var folder = new MigrationFolder()
            .Add("20240101000001", "ok", "create table tenants (id uuid primary key default gen_random_uuid());\n")
            .Add(
                "20240101000002",
                "broken",
                "-- profiles\ncreate table profiles (\n  id uuid references auth.users(id),\n  tenant uuid " +
                "references tenant(id)\n);\n"
            )
            .Add("20240101000003", "typo", "create table notes (\n  id int,\n  body txet\n);\n");

        var problems = await new MigrationChecker().ReplayAsync(
            await PostgresServerFixture.GetServerAsync(),
            folder.Load(),
            null
        );

        var problem = problems.Should().ContainSingle().Which;
        problem.Code.Should().Be("replay-failed");
        problem.File.Should().EndWith("20240101000002_broken.sql");
        problem
            .Line.Should()
            .Be(2, "the server gives no position for this error: the statement's first line past its comment");
        problem
            .Message.Should()
            .Contain("relation \"tenant\" does not exist")
            .And.Contain("tenant uuid references tenant(id)");

        File.WriteAllText(
            Path.Combine(folder.Migrations, "20240101000002_broken.sql"),
            "create table profiles (id uuid references auth.users(id));\n"
        );
        var typo = (
            await new MigrationChecker().ReplayAsync(await PostgresServerFixture.GetServerAsync(), folder.Load(), null)
        )
            .Should()
            .ContainSingle()
            .Which;
        (typo.Line, typo.Column).Should().Be((3, 8), "the server's error position points at txet");
        typo.File.Should().EndWith("20240101000003_typo.sql");
        typo.Message.Should().Contain("type \"txet\" does not exist");
    }

    [Test]
    public async Task An_extension_the_scratch_server_lacks_and_has_no_stand_in_for_is_reported_as_such()
    {
        // An extension no server has, so the test never depends on whether this machine's PostgreSQL has pgvector.
        using var folder = new MigrationFolder()
            .Add("20240101000001", "ok", "create table a (id int);\n")
            .Add(
                "20240101000002",
                "embeddings",
                "create extension if not exists muva_no_such_extension with schema extensions;\ncreate table docs " +
                "(id int);\n"
            )
            .Add("20240101000003", "later", "create table c (id int);\n");

        var problems = await new MigrationChecker().ReplayAsync(
            await PostgresServerFixture.GetServerAsync(),
            folder.Load(),
            null
        );

        var problem = problems.Should().ContainSingle().Which;
        problem.Code.Should().Be("missing-extension");
        problem.IsError.Should().BeFalse();
        problem.File.Should().EndWith("20240101000002_embeddings.sql");
        problem.Line.Should().Be(1);
        problem
            .Message.Should()
            .Contain("does not have the extension \"muva_no_such_extension\"")
            .And.Contain("not an error in the migration")
            .And.Contain("2 file(s)");
    }

    [Test]
    public async Task The_replay_also_runs_the_seed_and_reports_its_failures()
    {
        using var folder = new MigrationFolder().Add(
            "20240101000001",
            "tags",
            "create table tags (name text primary key);\n"
        );
        var seed = folder.WriteSeed("insert into tags values ('a');\ninsert into tags values ('a');\n");

        var problems = await new MigrationChecker().ReplayAsync(
            await PostgresServerFixture.GetServerAsync(),
            folder.Load(),
            new SeedFile(seed, "supabase/seed.sql")
        );

        var problem = problems.Should().ContainSingle().Which;
        problem.File.Should().EndWith("seed.sql");
        problem.Line.Should().Be(2);
        problem.Message.Should().Contain("duplicate key");
    }
}
