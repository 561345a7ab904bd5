using System.Reflection;
using System.Text;
using Build.Migrations.Database;
using Build.Tests.Infrastructure;

namespace Build.Tests.Migrations;

/// <summary>
/// RollbackMigrations over a transactional batch that ApplyMigrations sent in several chunks (round trips of one
/// transaction): the targets end to end on a real PostgreSQL. The rollback reverts migrations of every chunk, or,
/// when a down script fails, undoes itself as a whole and says so; never a half-reverted batch.
/// </summary>
public class RollbackAcrossChunksTests
{
    private const int StatementsPerFile = 1200;
    private MigrationFolder _folder = null!;
    private string _config = null!;

    [SetUp]
    public void WriteMigrations()
    {
        _folder = new MigrationFolder();
        // Three files of 1,200 statements: past the runner's statements per round trip, so one batch, several chunks.
        for (var i = 1; i <= 3; i++)
        {
            var sql = new StringBuilder($"create table chunk_{i}(id int primary key);\n");
            for (var row = 1; row < StatementsPerFile; row++) sql.Append($"insert into chunk_{i} values ({row});\n");
            _folder.Add($"2099010100000{i}", $"part_{i}", sql.ToString());
            _folder.AddRollback($"2099010100000{i}", $"part_{i}", $"drop table chunk_{i};\n");
        }
        _config = TestConfiguration.Write(_folder.Root, json =>
        {
            json["project"]!["migrationsPath"] = _folder.Migrations;
            json["project"]!["rollbacksPath"] = _folder.Rollbacks;
            json["project"]!["seedPath"] = Path.Combine(_folder.Root, "supabase", "seed.sql");
        });
    }

    [TearDown]
    public void Remove() => _folder.Dispose();

    /// <summary>The precondition, read from the runner itself: the three files cannot go in one round trip.</summary>
    private static void BatchSpansSeveralChunks()
    {
        var field = typeof(MigrationRunner).GetField("ChunkStatements", BindingFlags.NonPublic | BindingFlags.Static);
        field.Should().NotBeNull("MigrationRunner.ChunkStatements sizes its round trips (rename here if it moved)");
        var perChunk = (int)field!.GetValue(null)!;
        (3 * StatementsPerFile)
            .Should()
            .BeGreaterThan(perChunk, "the batch must need more than one chunk for this test to mean anything");
    }

    private async Task<(string Db, Dictionary<string, string> Variables)> AppliedAsync()
    {
        BatchSpansSeveralChunks();
        var db = await PostgresServerFixture.CreateDatabaseAsync("chunks");
        var variables = new Dictionary<string, string> { ["LOCAL_DATABASE_URL"] = DatabaseUrl.ToUrl(db) };
        var apply = await SuiteRun.RunAsync(
            variables,
            "--target=ApplyMigrations",
            "--env=local",
            "--skip-replay",
            $"--config={_config}"
        );
        apply.ExitCode.Should().Be(0, apply.All);
        apply.Out.Should().Contain("3 pending migration(s), applied in one transaction");
        (await TestDatabase.HistoryAsync(db)).Should().Equal("20990101000001", "20990101000002", "20990101000003");
        return (db, variables);
    }

    private static async Task<long> RowsAsync(string db, int table) =>
        (long)(await TestDatabase.ScalarAsync(db, $"select count(*) from chunk_{table}"))!;

    [Test]
    public async Task Rolling_back_the_whole_batch_reverts_the_migrations_of_every_chunk()
    {
        var (db, variables) = await AppliedAsync();

        var run = await SuiteRun.RunAsync(
            variables,
            "--target=RollbackMigrations",
            "--env=local",
            "--steps=3",
            $"--config={_config}"
        );

        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should()
            .Contain(
                "rolling back 3 migration(s) in one transaction: 20990101000003_part_3.sql, " +
                "20990101000002_part_2.sql, 20990101000001_part_1.sql"
            );
        run.Out.Should()
            .Contain("Rolled back 20990101000003_part_3.sql, 20990101000002_part_2.sql, 20990101000001_part_1.sql");
        (await TestDatabase.HistoryAsync(db)).Should().BeEmpty();
        (await TestDatabase.TablesAsync(db)).Should().NotContain(t => t.StartsWith("chunk_"));

        // Applied again, the whole batch goes in again: nothing of the first run lingers.
        var again = await SuiteRun.RunAsync(
            variables,
            "--target=ApplyMigrations",
            "--env=local",
            "--skip-replay",
            $"--config={_config}"
        );
        again.ExitCode.Should().Be(0, again.All);
        (await RowsAsync(db, 1)).Should().Be(StatementsPerFile - 1);
        (await RowsAsync(db, 3)).Should().Be(StatementsPerFile - 1);
    }

    [Test]
    public async Task Rolling_back_across_the_chunk_boundary_reverts_exactly_the_steps_asked()
    {
        var (db, variables) = await AppliedAsync();

        var run = await SuiteRun.RunAsync(
            variables,
            "--target=RollbackMigrations",
            "--env=local",
            "--steps=2",
            $"--config={_config}"
        );

        run.ExitCode.Should().Be(0, run.All);
        (await TestDatabase.HistoryAsync(db)).Should().Equal("20990101000001");
        (await TestDatabase.TablesAsync(db)).Should().Equal("chunk_1");
        (await RowsAsync(db, 1))
            .Should()
            .Be(StatementsPerFile - 1, "the migration left in place keeps every row its chunk wrote");
    }

    [Test]
    public async Task A_down_script_that_fails_part_way_undoes_the_whole_rollback_and_says_so()
    {
        var (db, variables) = await AppliedAsync();
        // part_3 reverts first and succeeds; part_2's down script fails: part_3's revert must be undone with it.
        File.WriteAllText(
            Path.Combine(_folder.Rollbacks, "20990101000002_part_2.sql"),
            "drop table chunk_2;\nselect 1/0;\n"
        );

        var run = await SuiteRun.RunAsync(
            variables,
            "--target=RollbackMigrations",
            "--env=local",
            "--steps=3",
            $"--config={_config}"
        );

        run.ExitCode.Should().NotBe(0, run.All);
        run.All.Should()
            .Contain("20990101000002_part_2.sql")
            .And.Contain("division by zero")
            .And.MatchRegex(
                @"The rollback was undone as a whole \(checked on the server: transaction \d+ is aborted\)"
            );
        run.Out.Should().NotContain("Rolled back ");
        (await TestDatabase.HistoryAsync(db)).Should().Equal("20990101000001", "20990101000002", "20990101000003");
        (await TestDatabase.TablesAsync(db)).Should().Equal("chunk_1", "chunk_2", "chunk_3");
        foreach (var table in new[] { 1, 2, 3 })
            (await RowsAsync(db, table))
                .Should()
                .Be(StatementsPerFile - 1, $"chunk_{table} is exactly as the apply left it");
    }
}
