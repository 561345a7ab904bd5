using Build.Migrations.Database;
using Build.Migrations.Sql;

namespace Build.Tests.Migrations;

public sealed class DatabaseRollbackAndStatusTests
{
    private static MigrationFolder ThreeTables() => new MigrationFolder()
        .Add("20240101000001", "a", "create table a (id int);\n").AddRollback("20240101000001", "a", "drop table a;\n")
        .Add("20240101000002", "b", "create table b (id int);\n").AddRollback("20240101000002", "b", "drop table b;\n")
        .Add("20240101000003", "c", "create table c (id int);\ncreate function c_count() returns bigint language sql as $$ select count(*) from c $$;\n")
        .AddRollback("20240101000003", "c", "drop function c_count();\ndrop table c;\n");

    [Test]
    public async Task Rollback_reverts_the_last_N_newest_first_and_removes_their_history_rows()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = ThreeTables();
        await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());
        var log = new List<string>();

        var result = await new MigrationRollback(new MigrationRunnerOptions(), log.Add).RollbackAsync(db, folder.Rollbacks, 2);

        result.RolledBack.Select(r => r.Migration.Version).Should().Equal("20240101000003", "20240101000002");
        (await TestDatabase.TablesAsync(db)).Should().Equal("a");
        (await TestDatabase.HistoryAsync(db)).Should().Equal("20240101000001");
        log.Should().Contain(l => l.Contains("reverted 20240101000003_c.sql"));
        // Applying again brings them back: the history is consistent with the schema.
        (await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load())).Applied.Should().HaveCount(2);
    }

    [Test]
    public async Task A_missing_down_script_refuses_the_whole_rollback_before_anything_runs()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = ThreeTables();
        await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());
        File.Delete(Path.Combine(folder.Rollbacks, "20240101000002_b.sql"));

        var rollback = () => new MigrationRollback(new MigrationRunnerOptions()).RollbackAsync(db, folder.Rollbacks, 2);

        (await rollback.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .Contain("no down script for 20240101000002_b.sql").And.Contain("rollbacks/20240101000002_b.sql").And.Contain("Nothing was changed");
        (await TestDatabase.TablesAsync(db)).Should().Equal("a", "b", "c");
        (await TestDatabase.HistoryAsync(db)).Should().HaveCount(3);
    }

    [Test]
    public async Task A_failing_down_script_undoes_the_whole_rollback()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync();
        using var folder = ThreeTables();
        await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());
        folder.AddRollback("20240101000002", "b", "drop table b;\ndrop table not_there;\n");

        var rollback = () => new MigrationRollback(new MigrationRunnerOptions()).RollbackAsync(db, folder.Rollbacks, 2);

        var error = (await rollback.Should().ThrowAsync<MigrationFailedException>()).Which;
        (error.File, error.Line).Should().Be((Path.Combine(folder.Rollbacks, "20240101000002_b.sql"), 2));
        (await TestDatabase.TablesAsync(db)).Should().Equal("a", "b", "c");
        (await TestDatabase.HistoryAsync(db)).Should().HaveCount(3);
    }

    [Test]
    public async Task Status_shows_every_version_in_every_environment_and_an_unreachable_one_does_not_stop_the_rest()
    {
        using var folder = ThreeTables();
        var ahead = await PostgresServerFixture.CreateDatabaseAsync();
        await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(ahead, folder.Load());
        var behind = await PostgresServerFixture.CreateDatabaseAsync();
        await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(behind, folder.Load() with { Files = folder.Load().Files.Take(2).ToList() });
        // "ahead" also has a version nobody has locally, and an edited file.
        await TestDatabase.ScalarAsync(ahead, "insert into supabase_migrations.schema_migrations (version, name, statements) values ('20240101000009', 'hotfix', '{}')");
        folder.Add("20240101000001", "a", "create table a (id bigint);\n");
        var closedPort = Build.Migrations.Scratch.ScratchPostgres.FreeLoopbackPort();

        var histories = await Task.WhenAll(
            // Reachable ones: a bound for a loaded machine, not a verdict (the closed port fails at once anyway).
            EnvironmentHistory.ReadAsync("dev", ahead, TimeSpan.FromSeconds(60)),
            EnvironmentHistory.ReadAsync("staging", behind, TimeSpan.FromSeconds(60)),
            EnvironmentHistory.ReadAsync("production", $"Host=127.0.0.1;Port={closedPort};Username=postgres;Password=not-shown", TimeSpan.FromSeconds(2)));
        var table = MigrationStatusTable.Build(folder.Load().Files, histories);

        table.Rows.Select(r => $"{r.Version} {string.Join(",", r.Cells)}").Should().Equal(
            "20240101000001 changed,changed,unreachable",
            "20240101000002 applied,applied,unreachable",
            "20240101000003 applied,pending,unreachable",
            "20240101000009 missing locally,-,unreachable");
        table.Notes.Should().ContainSingle().Which.Should().StartWith($"production: unreachable (127.0.0.1:{closedPort}");
        table.ToText().Should().NotContain("not-shown");
        table.ToMarkdown().Should().Contain("| `20240101000003` | c | applied | pending | unreachable |");
    }
}
