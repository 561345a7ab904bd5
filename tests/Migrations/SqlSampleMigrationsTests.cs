using Build.Migrations;
using Build.Migrations.Lint;
using Build.Migrations.Platform;
using Build.Migrations.Sql;
using Build.Tests.Infrastructure;
using Npgsql;

namespace Build.Tests.Migrations;

/// <summary>
/// The shipped sample set (supabase/migrations, rollbacks, seed.sql) on a real PostgreSQL with the Supabase platform
/// layer: it lints clean, applies statement by statement as the CLI would, its RLS and storage policies do what the
/// comments say, and its down scripts undo it completely.
/// </summary>
[NonParallelizable]
public sealed class SqlSampleMigrationsTests
{
    private const string Ana = "aaaaaaaa-0000-4000-8000-000000000001";
    private const string Gil = "bbbbbbbb-0000-4000-8000-000000000001";
    private const string AcmeConversation = "c0000000-0000-4000-8000-000000000001";

    private static string Supabase(string relative) => Path.Combine(Require.RepositoryRoot, "supabase", relative);
    private static MigrationDirectoryContents Samples => MigrationDirectory.Load(Supabase("migrations"));

    private string _database = "";

    [OneTimeSetUp]
    public async Task ApplySamplesAndSeed()
    {
        _database = await PostgresServerFixture.CreateDatabaseAsync("samples");
        await SupabasePlatform.InstallAsync(_database);
        await ApplyAsync(_database, Samples.Files.Select(f => (f.FileName, f.Content)));
        await ApplyAsync(_database, [("seed.sql", MigrationFile.ReadContent(Supabase("seed.sql")))]);
    }

    /// <summary>Each file in its own transaction, statement by statement as `supabase db push` sends them.</summary>
    private static async Task ApplyAsync(string connectionString, IEnumerable<(string Name, string Content)> files)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (name, content) in files)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var statement in SqlStatementSplitter.SplitWithPositions(content))
            {
                try { await new NpgsqlCommand(statement.Text, connection, transaction).ExecuteNonQueryAsync(); }
                catch (PostgresException e)
                {
                    Assert.Fail($"{name}:{statement.Line}: {e.MessageText}\n{statement.Text}");
                }
            }
            await transaction.CommitAsync();
        }
    }

    /// <summary>Runs queries as a signed-in user (role authenticated, JWT claims with sub = user id), then rolls
    /// back.</summary>
    private async Task<T> AsUserAsync<T>(string? userId, Func<NpgsqlConnection, Task<T>> work)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var role = userId is null ? "anon" : "authenticated";
        var claims = userId is null ? """{"role":"anon"}""" : $$"""{"sub":"{{userId}}","role":"authenticated"}""";
        await new NpgsqlCommand(
            $"set local role {role}; select set_config('request.jwt.claims', '{claims}', true)",
            connection
        ).ExecuteNonQueryAsync();
        try
        {
            return await work(connection);
        }
        finally
        {
            await transaction.RollbackAsync();
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql) =>
        Convert.ToInt64(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync());

    [Test]
    public void The_sample_set_is_well_named_lints_clean_and_has_a_down_script_for_every_file()
    {
        Samples.Problems.Should().BeEmpty();
        Samples.Files.Should().HaveCountGreaterThanOrEqualTo(4);
        MigrationLinter.Lint(Samples.Files, new LintOptions { EachFileIsItsOwnBatch = true }).Should().BeEmpty();
        MigrationLinter.Lint(Samples.Files).Should().BeEmpty();
        NonTransactionalDetector.DetectInBatch(Samples.Files).Should().BeEmpty();
        foreach (var file in Samples.Files)
            File.Exists(Supabase(Path.Combine("rollbacks", file.FileName)))
                .Should()
                .BeTrue($"{file.FileName} needs a down script");
    }

    [Test]
    public async Task Signing_up_creates_a_profile_named_from_the_metadata_or_the_email()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var reader = await new NpgsqlCommand(
            "select display_name from public.profiles order by display_name",
            connection
        ).ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        names.Should().Equal("Ana", "Bo", "gil");
    }

    [Test]
    public async Task Members_read_their_conversations_and_nobody_else_does()
    {
        (await AsUserAsync(Ana, c => CountAsync(c, "select count(*) from public.messages"))).Should().Be(2);
        (await AsUserAsync(Ana, c => CountAsync(c, "select count(*) from public.tenants"))).Should().Be(1);
        (await AsUserAsync(Gil, c => CountAsync(c, "select count(*) from public.messages"))).Should().Be(1);
        (await AsUserAsync(Gil, c => CountAsync(c, "select count(*) from public.profiles"))).Should().Be(1);
        (await AsUserAsync(null, c => CountAsync(c, "select count(*) from public.messages"))).Should().Be(0);
    }

    [Test]
    public async Task A_non_member_cannot_post_into_a_conversation()
    {
        var act = () =>
            AsUserAsync(
                Gil,
                c =>
                    new NpgsqlCommand(
                        $"insert into public.messages (conversation_id, author_id, body) values ('{AcmeConversation}" +
                        $"', '{Gil}', 'hi')",
                        c
                    ).ExecuteNonQueryAsync()
            );
        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("row-level security");

        // A member can, and the conversation list is bumped by the trigger.
        (
            await AsUserAsync(
                Ana,
                async c =>
                {
                    await new NpgsqlCommand(
                        $"insert into public.messages (conversation_id, author_id, body) values ('{AcmeConversation}" +
                        $"', '{Ana}', 'hi')",
                        c
                    ).ExecuteNonQueryAsync();
                    return await CountAsync(
                        c,
                        $"select count(*) from public.conversations where id = '{AcmeConversation}' and " +
                        "last_message_at >= now()"
                    );
                }
            )
        )
            .Should()
            .Be(1);
    }

    [Test]
    public async Task Attachments_are_stored_per_conversation_folder_and_only_members_read_them()
    {
        var path = $"{AcmeConversation}/{Ana}/plan.pdf";
        (
            await AsUserAsync(
                Ana,
                async c =>
                {
                    await new NpgsqlCommand(
                        $"insert into storage.objects (bucket_id, name) values ('chat-attachments', '{path}')",
                        c
                    ).ExecuteNonQueryAsync();
                    return await CountAsync(c, "select count(*) from storage.objects");
                }
            )
        ).Should().Be(1);

        var intoSomeoneElsesFolder = () =>
            AsUserAsync(
                Gil,
                c =>
                    new NpgsqlCommand(
                        "insert into storage.objects (bucket_id, name) values ('chat-attachments', '" +
                        $"{AcmeConversation}/{Ana}/fake.pdf')",
                        c
                    ).ExecuteNonQueryAsync()
            );
        await intoSomeoneElsesFolder.Should().ThrowAsync<PostgresException>();
    }

    [Test]
    public async Task Down_scripts_in_reverse_order_remove_everything_and_the_set_applies_again()
    {
        var database = await PostgresServerFixture.CreateDatabaseAsync("samples_down");
        await SupabasePlatform.InstallAsync(database);
        await ApplyAsync(database, Samples.Files.Select(f => (f.FileName, f.Content)));
        await ApplyAsync(database, [("seed.sql", MigrationFile.ReadContent(Supabase("seed.sql")))]);

        await ApplyAsync(database, Samples.Files.Reverse().Select(f =>
            ("rollbacks/" + f.FileName, MigrationFile.ReadContent(Supabase(Path.Combine("rollbacks", f.FileName))))));

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            (await CountAsync(connection, "select count(*) from pg_class where relnamespace = 'public'::regnamespace"))
                .Should()
                .Be(0);
            (await CountAsync(connection, "select count(*) from pg_proc where pronamespace = 'public'::regnamespace"))
                .Should()
                .Be(0);
            (await CountAsync(connection, "select count(*) from pg_policies")).Should().Be(0);
            (
                await CountAsync(
                    connection,
                    "select count(*) from pg_trigger where tgrelid = 'auth.users'::regclass and not tgisinternal"
                )
            )
                .Should()
                .Be(0);
            (await CountAsync(connection, "select count(*) from storage.buckets")).Should().Be(0);
        }
        await ApplyAsync(database, Samples.Files.Select(f => (f.FileName, f.Content)));
    }
}
