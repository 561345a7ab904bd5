using System.Diagnostics;
using Build.Migrations.Database;
using Build.Tests.Infrastructure;

namespace Build.Tests.Migrations;

/// <summary>Both directions with the real Supabase CLI (npm supabase 2.117.0) against the same database.</summary>
public sealed class DatabaseCliInteropTests
{
    private static string Cli()
    {
        var path = Path.Combine(Require.RepositoryRoot, "node_modules/.bin/supabase");
        Require.Service(File.Exists(path), "The Supabase CLI (node_modules/.bin/supabase; run npm ci)");
        return path;
    }

    private static async Task<string> RunCliAsync(string workdir, params string[] arguments)
    {
        var start = new ProcessStartInfo(Cli())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workdir,
        };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        foreach (var a in new[] { "--workdir", workdir })
            start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["SUPABASE_TELEMETRY_DISABLED"] = "1";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        var output = await stdout + await stderr;
        process.ExitCode.Should().Be(0, output);
        return output;
    }

    private const string Function = """
        create table notes (id bigint generated always as identity primary key, body text not null);
        create function public.note_count() returns bigint language plpgsql stable as $BODY$
        begin
          return (select count(*) from notes); -- counted; here
        end;
        $BODY$;
        """;

    [Test]
    public async Task What_we_applied_the_cli_lists_as_applied()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync("cli");
        using var folder = new MigrationFolder()
            .Add("20240101000001", "notes", Function)
            .Add("20240101000002", "more", "insert into notes (body) values ('a;b');\n");
        await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());
        folder.Add("20240101000003", "pending", "select 1;\n");

        var listing = await RunCliAsync(folder.Root, "migration", "list", "--db-url", DatabaseUrl.ToUrl(db));

        listing.Should().MatchRegex(@"20240101000001`?\s*\|\s*`?20240101000001")
            .And.MatchRegex(@"20240101000002`?\s*\|\s*`?20240101000002")
            .And.MatchRegex(@"20240101000003`?\s*\|\s*(` `)?\s*\|", "a pending file has an empty Remote column");

        // The CLI also writes to the table with our extra columns: it pushes only the pending file.
        await RunCliAsync(folder.Root, "db", "push", "--db-url", DatabaseUrl.ToUrl(db), "--yes");
        (
            await TestDatabase.ColumnAsync(
                db,
                "select version || ' ' || coalesce(applied_by, 'cli') || ' ' || (applied_at is not null) from " +
                "supabase_migrations.schema_migrations order by version"
            )
        )
            .Should()
            .HaveCount(3)
            .And.EndWith("20240101000003 cli true");
        (await TestDatabase.ScalarAsync(db, "select count(*) from notes"))
            .Should()
            .Be(1L, "the CLI did not run our files again");
    }

    [Test]
    public async Task What_the_cli_pushed_we_do_not_run_again_and_its_seed_record_matches_ours()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync("cli");
        using var folder = new MigrationFolder()
            .Add("20240101000001", "notes", Function)
            .Add("20240101000002", "more", "insert into notes (body) values ('pushed by the cli');\n");
        var seed = folder.WriteSeed("insert into notes (body) values ('seeded');\n");
        await RunCliAsync(folder.Root, "db", "push", "--db-url", DatabaseUrl.ToUrl(db), "--include-seed", "--yes");
        folder.Add("20240101000003", "ours", "insert into notes (body) values ('ours');\n");

        var checks = await new MigrationChecker().CheckHistoryAsync(db, folder.Load(), false, "$DB");
        var result = await new MigrationRunner(
            new MigrationRunnerOptions { Seed = new SeedFile(seed, "supabase/seed.sql") }
        ).ApplyAsync(db, folder.Load());

        checks.Should().BeEmpty("the CLI stored the same statements our splitter produces, so nothing looks changed");
        result.Applied.Select(a => a.File.Version).Should().Equal("20240101000003");
        result.Seed!.Applied.Should().BeFalse("the CLI recorded the same path and hash for the seed");
        (await TestDatabase.ColumnAsync(db, "select body from notes order by id"))
            .Should()
            .Equal("pushed by the cli", "seeded", "ours");
        (await TestDatabase.ScalarAsync(db, "select note_count()")).Should().Be(3L);
    }
}

/// <summary>DbUp's own engine driving our journal: the seam works for anyone who prefers DbUp's
/// UpgradeEngine.</summary>
public sealed class DatabaseDbUpJournalTests
{
    [Test]
    public async Task DbUp_with_our_journal_records_cli_rows_keeps_BODY_quoting_and_skips_what_is_applied()
    {
        var db = await PostgresServerFixture.CreateDatabaseAsync("dbup");
        using var folder = new MigrationFolder().Add(
            "20240101000001",
            "fn",
            "create function f() returns text language plpgsql as $BODY$ begin return '$name$;x'; end; $BODY$;\n"
        );
        await new MigrationRunner(new MigrationRunnerOptions()).ApplyAsync(db, folder.Load());
        folder.Add("20240101000002", "second", "create table t (v text default f());\ninsert into t default values;\n");

        var result = DbUpEngines.Create(db, folder.Load().Files).PerformUpgrade();

        result.Successful.Should().BeTrue(result.Error?.Message);
        result.Scripts.Select(s => s.Name).Should().Equal("20240101000002_second.sql");
        (await TestDatabase.ScalarAsync(db, "select v from t")).Should().Be("$name$;x");
        (
            await TestDatabase.ColumnAsync(
                db,
                "select version || ' ' || name || ' ' || array_length(statements, 1) from " +
                "supabase_migrations.schema_migrations order by 1"
            )
        )
            .Should()
            .Equal("20240101000001 fn 1", "20240101000002 second 2");
    }
}
