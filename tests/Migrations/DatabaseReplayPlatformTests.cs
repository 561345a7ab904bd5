using Build.Migrations.Database;
using Build.Tests.Infrastructure;
using Npgsql;

namespace Build.Tests.Migrations;

/// <summary>A replay that real Supabase apps pass: Vault and more of auth in the platform layer, extensions the scratch
/// server lacks stood in for (and named), real PostGIS, and a seed that fails only where the environment
/// seeds.</summary>
public sealed class DatabaseReplayPlatformTests
{
    private static async Task<(IReadOnlyList<MigrationProblem> Problems, List<string> Log)> ReplayAsync(
        MigrationFolder folder,
        string? seedSql = null,
        bool seedFailureBlocks = true
    )
    {
        var log = new List<string>();
        var seed = seedSql is null ? null : new SeedFile(folder.WriteSeed(seedSql), "supabase/seed.sql");
        var problems = await new MigrationChecker(m =>
        {
            lock (log)
                log.Add(m);
        }).ReplayAsync(
            await PostgresServerFixture.GetServerAsync(),
            folder.Load(),
            seed,
            seedFailureBlocks: seedFailureBlocks
        );
        return (problems, log);
    }

    [Test]
    public async Task A_seed_using_vault_and_functions_reading_auth_sessions_mfa_and_identities_replay()
    {
        using var folder = new MigrationFolder()
            .Add("20240101000001", "auth_helpers", """
                create function public.has_verified_mfa() returns boolean language sql stable as $$
                  select exists (select 1 from auth.mfa_factors where user_id = auth.uid() and status = 'verified')
                $$;
                create function public.current_aal() returns text language sql stable as $$
                  select aal::text from auth.sessions where id = (auth.jwt() ->> 'session_id')::uuid
                $$;
                create view public.my_providers as select provider from auth.identities where user_id = auth.uid();
                create function public.stripe_key() returns text language sql security definer as $$
                  select decrypted_secret from vault.decrypted_secrets where name = 'stripe_key'
                $$;
                """);
        const string seed = """
            select vault.create_secret('sk_test_1', 'stripe_key', 'Stripe API key');
            select vault.update_secret((select id from vault.secrets where name = 'stripe_key'), 'sk_test_2');
            do $$ begin
              if public.stripe_key() <> 'sk_test_2' then raise exception 'vault returned %', public.stripe_key(); end if;
              if (select secret from vault.secrets where name = 'stripe_key') like '%sk_test%' then raise exception 'stored in clear'; end if;
            end $$;
            """;

        var (problems, _) = await ReplayAsync(folder, seed);

        problems.Should().BeEmpty(string.Join("\n", problems));
    }

    [Test]
    public async Task A_seed_only_failure_is_a_warning_for_an_environment_that_does_not_seed_and_an_error_for_one_that_does()
    {
        using var folder = new MigrationFolder().Add("20240101000001", "t", "create table t (id int primary key);\n");
        const string seed = "insert into t values (1);\ninsert into t values (1);\n";

        var (forStaging, _) = await ReplayAsync(folder, seed, seedFailureBlocks: false);
        var (forDev, _) = await ReplayAsync(folder, seed, seedFailureBlocks: true);

        forStaging
            .Should()
            .ContainSingle()
            .Which.Should()
            .Match<MigrationProblem>(p => !p.IsError && p.Code == "seed-replay-failed" && p.Line == 2);
        forStaging.Single().Message.Should().Contain("does not seed").And.Contain("23505");
        forDev
            .Should()
            .ContainSingle()
            .Which.Should()
            .Match<MigrationProblem>(p => p.IsError && p.Code == "replay-failed");
    }

    [Test]
    public async Task CheckMigrations_for_staging_passes_with_a_broken_seed_and_fails_for_dev()
    {
        var dir = Path.Combine(Path.GetTempPath(), "seed-only-" + Guid.NewGuid().ToString("N")[..8]);
        var migrations = Path.Combine(dir, "migrations");
        Directory.CreateDirectory(migrations);
        try
        {
            File.WriteAllText(
                Path.Combine(migrations, "20240101000001_t.sql"),
                "create table t (id int primary key);\nalter table t enable row level security;\n"
            );
            var seedPath = Path.Combine(dir, "seed.sql");
            File.WriteAllText(seedPath, "select vault.no_such_function('x');\n");
            var config = TestConfiguration.Write(dir, c =>
            {
                c["project"]!["migrationsPath"] = migrations;
                c["project"]!["seedPath"] = seedPath;
            });
            var db = await PostgresServerFixture.CreateDatabaseAsync("seedonly");
            var variables = new Dictionary<string, string>
            {
                ["STAGING_DATABASE_URL"] = DatabaseUrl.ToUrl(db),
                ["DEV_DATABASE_URL"] = DatabaseUrl.ToUrl(db),
                [Build.Migrations.Scratch.ScratchPostgres.UrlVariable] = DatabaseUrl.ToUrl(
                    (await PostgresServerFixture.GetServerAsync()).AdminConnectionString
                ),
            };

            var staging = await SuiteRun.RunAsync(
                variables,
                $"--config={config}",
                "--target=CheckMigrations",
                "--env=staging"
            );
            var dev = await SuiteRun.RunAsync(variables, $"--config={config}", "--target=CheckMigrations", "--env=dev");

            staging.ExitCode.Should().Be(0, staging.All);
            staging.All.Should().Contain("warning [seed-replay-failed]").And.Contain("does not seed");
            dev.ExitCode.Should().NotBe(0, dev.All);
            dev.All.Should().Contain("error [replay-failed]").And.Contain("seed.sql:1");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Test]
    public async Task Missing_extensions_are_stood_in_for_named_one_by_one_and_every_later_file_is_still_verified()
    {
        var server = await PostgresServerFixture.GetServerAsync();
        var available = await TestDatabase.ColumnAsync(
            server.AdminConnectionString,
            "select name from pg_available_extensions"
        );
        Require.Service(
            available.Contains("postgis"),
            "PostGIS on the scratch PostgreSQL (Debian postgresql-15-postgis-3, installed by " +
            ".ci/setup-migrate-engine.sh)"
        );
        using var folder = new MigrationFolder()
            .Add("20240101000001", "extensions", """
                create extension if not exists vector with schema extensions;
                create extension if not exists pg_net;
                create extension if not exists "http" with schema extensions;
                create extension if not exists pg_cron;
                create extension if not exists postgis with schema extensions;
                comment on extension vector is 'embeddings';
                """)
            .Add("20240101000002", "documents", """
                create table public.documents (id bigint primary key, body text, embedding extensions.vector(3));
                alter table public.documents enable row level security;
                create index documents_embedding_idx on public.documents using hnsw (embedding extensions.vector_cosine_ops) with (m = 16, ef_construction = 64);
                create function public.match_documents(query extensions.vector(3), n int) returns setof public.documents
                  language sql stable as $$ select * from public.documents order by embedding <=> query limit n $$;
                create table public.places (id int primary key, at extensions.geography(Point, 4326));
                alter table public.places enable row level security;
                """)
            .Add("20240101000003", "hooks", """
                create function public.notify_document() returns trigger language plpgsql as $$
                begin
                  perform net.http_post(url := 'https://example.invalid/hook', body := to_jsonb(new));
                  return new;
                end $$;
                create trigger documents_notify after insert on public.documents for each row execute function public.notify_document();
                select cron.schedule('nightly-cleanup', '0 3 * * *', $$delete from public.documents where body is null$$);
                insert into public.documents values (1, 'a', '[1,2,3]'), (2, 'b', '[3,2,1]');
                select (extensions.http_get('https://example.invalid')).status;
                drop index public.documents_embedding_idx;
                insert into public.places values (1, extensions.st_point(4.9, 52.4)::extensions.geography);
                """
            );
        const string seed =
            "do $$ begin if (select id from public.match_documents('[1,2,3]', 1)) <> 1 then raise exception " +
            "'nearest'; end if; end $$;\n";

        var (problems, log) = await ReplayAsync(folder, seed);

        string[] standIns = ["vector", "pg_net", "http", "pg_cron"];
        var expected = standIns.Where(n => !available.Contains(n)).ToList();
        problems.Should().NotContain(p => p.IsError, string.Join("\n", problems));
        problems
            .Should()
            .NotContain(
                p => p.Code == "missing-extension",
                "every extension is real or stood in: " + string.Join("\n", problems)
            );
        var lines = new Dictionary<string, int>
        {
            ["vector"] = 1,
            ["pg_net"] = 2,
            ["http"] = 3,
            ["pg_cron"] = 4,
        };
        problems
            .Where(p => p.Code == "extension-stand-in")
            .Select(p => (p.Message.Split('"')[1], p.Line))
            .Should()
            .Equal(expected.Select(n => (n, (int?)lines[n])));
        problems.Should().NotContain(p => p.Message.Contains("\"postgis\""), "PostGIS is the real extension");
        if (expected.Contains("vector"))
        {
            var vector = problems.Single(p => p.Code == "extension-stand-in" && p.Message.Contains("\"vector\""));
            vector
                .Message.Should()
                .Contain("20240101000002_documents.sql:3: HNSW index documents_embedding_idx not built");
        }
        log.Should()
            .Contain(
                $"Stood in for {expected.Count} extension(s) missing on the scratch server: " +
                $"{string.Join(", ", expected)}"
            );
    }
}
