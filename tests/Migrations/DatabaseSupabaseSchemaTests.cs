using Build.Migrations;
using Build.Migrations.Database;
using Build.Migrations.Platform;
using Build.Tests.Infrastructure;
using Npgsql;

namespace Build.Tests.Migrations;

/// <summary>A realistic Supabase schema (RLS policies, auth.users foreign keys and trigger, storage policies, realtime)
/// replays on the scratch server, and its policies behave as they would behind Supabase's API.</summary>
public sealed class DatabaseSupabaseSchemaTests
{
    private static string FixtureFolder =>
        Path.Combine(Require.RepositoryRoot, "tests/Migrations/fixtures/supabase-chat/supabase/migrations");
    private static string SeedPath =>
        Path.Combine(Require.RepositoryRoot, "tests/Migrations/fixtures/supabase-chat/supabase/seed.sql");

    [Test]
    public async Task The_chat_schema_replays_cleanly_with_its_seed()
    {
        var contents = MigrationDirectory.Load(FixtureFolder);
        contents.Problems.Where(p => p.IsError).Should().BeEmpty();
        contents.Files.Should().HaveCount(3);

        var problems = await new MigrationChecker().ReplayAsync(
            await PostgresServerFixture.GetServerAsync(), contents, new SeedFile(SeedPath, "supabase/seed.sql"));

        problems.Should().BeEmpty();
    }

    [Test]
    public async Task Its_policies_trigger_and_storage_rules_work_for_an_authenticated_user()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync("chat");
        await SupabasePlatform.InstallAsync(db);
        await new MigrationRunner(new MigrationRunnerOptions { Seed = new SeedFile(SeedPath, "supabase/seed.sql") })
            .ApplyAsync(db, MigrationDirectory.Load(FixtureFolder));

        // The auth.users trigger made the profiles from the sign-up metadata.
        (
            await TestDatabase.ColumnAsync(
                db,
                "select display_name || ':' || coalesce(tenant_id::text, '-') from profiles order by display_name"
            )
        )
            .Should()
            .Equal("Ana:00000000-0000-0000-0000-0000000000a1", "ben:00000000-0000-0000-0000-0000000000a1", "eve:-");

        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(db) { Pooling = false }.ConnectionString
        );
        await connection.OpenAsync();
        async Task<object?> As(string user, string sql)
        {
            await using var tx = await connection.BeginTransactionAsync();
            // What PostgREST does for a signed-in request.
            await using (
                var asUser = new NpgsqlCommand(
                    $"set local role authenticated; select set_config('request.jwt.claims', '{{\"sub\":\"{user}" +
                    $"\",\"role\":\"authenticated\"}}', true)",
                    connection,
                    tx
                )
            )
                await asUser.ExecuteNonQueryAsync();
            await using var command = new NpgsqlCommand(sql, connection, tx);
            var value = await command.ExecuteScalarAsync();
            await tx.CommitAsync();
            return value;
        }
        const string ben = "00000000-0000-0000-0000-0000000000b2", eve = "00000000-0000-0000-0000-0000000000b3";

        (await As(ben, "select count(*) from messages")).Should().Be(1L, "Ben is a member of General");
        (await As(eve, "select count(*) from messages")).Should().Be(0L, "Eve is not");
        (
            await As(
                ben,
                "insert into messages (conversation_id, body) select id, 'hi' from conversations returning " +
                "author_id::text"
            )
        )
            .Should()
            .Be(ben);
        var eveWrites = () => As(eve, "insert into messages (conversation_id, body) values (1, 'let me in')");
        (await eveWrites.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be("42501");

        (
            await As(
                ben,
                $"insert into storage.objects (bucket_id, name, owner) values ('avatars', '{ben}/me.png', '{ben}') " +
                "returning name"
            )
        )
            .Should()
            .Be($"{ben}/me.png");
        var wrongFolder = () =>
            As(
                ben,
                $"insert into storage.objects (bucket_id, name, owner) values ('avatars', '{eve}/me.png', '{ben}')"
            );
        (await wrongFolder.Should().ThrowAsync<PostgresException>())
            .Which.SqlState.Should()
            .Be("42501", "storage policy: only under your own folder");
        (
            await TestDatabase.ScalarAsync(
                db,
                "select count(*) from pg_publication_tables where pubname = 'supabase_realtime' and tablename = " +
                "'messages'"
            )
        )
            .Should()
            .Be(1L);
    }
}
