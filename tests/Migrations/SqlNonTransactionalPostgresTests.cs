using Build.Migrations;
using Npgsql;

namespace Build.Tests.Migrations;

/// <summary>
/// The detector's list checked against a real PostgreSQL: what it flags is refused inside a transaction block
/// (SQLSTATE 25001), or, for a new enum value used in the same transaction, 55P04; what it does not flag runs there.
/// </summary>
[NonParallelizable]
public sealed class SqlNonTransactionalPostgresTests
{
    private string _database = "";

    [OneTimeSetUp]
    public async Task CreateObjects()
    {
        _database = await PostgresServerFixture.CreateDatabaseAsync("nontx");
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await new NpgsqlCommand(
            "create table t (a int); create index i on t (a); create type mood as enum ('ok');"
                + "create table parted (id int) partition by range (id); create table parted_1 partition of parted " +
                "for values from (0) to (10);",
            connection
        ).ExecuteNonQueryAsync();
    }

    private async Task<string?> SqlStateInTransactionAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            foreach (var statement in Build.Migrations.Sql.SqlStatementSplitter.Split(sql))
                await new NpgsqlCommand(statement, connection, transaction).ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException e) { return e.SqlState; }
        finally { if (transaction.Connection is not null) await transaction.RollbackAsync(); }
    }

    private static MigrationFile File(string sql) => new("20240101000000", "m", "m.sql", sql);

    [TestCase("create index concurrently i2 on t (a)")]
    [TestCase("drop index concurrently i")]
    [TestCase("reindex index concurrently i")]
    [TestCase("reindex schema public")]
    [TestCase("vacuum t")]
    [TestCase("alter system set work_mem = '64MB'")]
    [TestCase("create database nontx_never")]
    [TestCase("alter table parted detach partition parted_1 concurrently")]
    public async Task What_is_flagged_is_refused_in_a_transaction_block(string sql)
    {
        NonTransactionalDetector.Detect(File(sql + ";")).Should().NotBeNull();
        (await SqlStateInTransactionAsync(sql)).Should().Be("25001", "PostgreSQL refuses it in a transaction block");
    }

    [Test]
    public async Task A_new_enum_value_used_in_the_same_transaction_is_refused_and_flagged()
    {
        const string sql = "alter type mood add value 'meh';\nselect 'meh'::mood;";
        NonTransactionalDetector.Detect(File(sql)).Should().NotBeNull();
        (await SqlStateInTransactionAsync(sql)).Should().Be("55P04");
    }

    [TestCase("create index i3 on t (a)")]
    [TestCase("reindex index i")]
    [TestCase("alter type mood add value 'fine'")]
    [TestCase("alter table t add column b int")]
    public async Task What_is_not_flagged_runs_in_a_transaction(string sql)
    {
        NonTransactionalDetector.Detect(File(sql + ";")).Should().BeNull();
        (await SqlStateInTransactionAsync(sql)).Should().BeNull();
    }
}
