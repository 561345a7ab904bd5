using Build.Configuration;
using Build.Migrations;
using Build.Migrations.Database;
using Build.Migrations.Platform;
using Build.Schema;
using Build.Tests.Infrastructure;
using Build.Tests.Migrations;

namespace Build.Tests.Data;

/// <summary>DetectSchemaDrift on real databases built by the repository's sample migrations
/// (supabase/migrations).</summary>
public class SchemaDriftTests
{
    private static readonly SchemaScope Scope = new(DataSettings.DefaultPlatformSchemas, SchemaScope.ApiRoles);
    private static MigrationDirectoryContents Samples =>
        MigrationDirectory.Load(Path.Combine(Require.RepositoryRoot, "supabase/migrations"));

    /// <summary>A database with the platform layer and every sample migration applied, as an environment has.</summary>
    private static async Task<string> MigratedAsync(string prefix = "drift")
    {
        var database = await PostgresServerFixture.CreateDatabaseAsync(prefix);
        await SupabasePlatform.InstallAsync(database);
        await new MigrationRunner(new MigrationRunnerOptions { AppliedBy = "test" }).ApplyAsync(database, Samples);
        return database;
    }

    // The hand edits the issue names, and the object each must be reported as.
    private static readonly (string Sql, string Object, string Kind)[] HandEdits =
    [
        ("alter table public.messages add column note text", "column public.messages.note", "extra"),
        (
            "alter table public.messages alter column created_at set default '2020-01-01'",
            "column public.messages.created_at",
            "changed"
        ),
        (
            "drop index public.messages_conversation_created_idx",
            "index public.messages_conversation_created_idx",
            "missing"
        ),
        (
            "create or replace function public.is_conversation_member(conversation uuid) returns boolean language " +
            "sql stable security definer set search_path = '' as $$ select true $$",
            "function public.is_conversation_member(conversation uuid)",
            "changed"
        ),
        (
            "alter policy \"members read messages\" on public.messages using (true)",
            "policy public.messages.members read messages",
            "changed"
        ),
        ("alter table public.tenants disable row level security", "rls public.tenants", "changed"),
        ("grant create on schema public to anon", "grant on schema public to anon", "changed"),
    ];

    [Test]
    public async Task Two_databases_built_by_the_same_migrations_have_no_drift_and_a_replay_gives_the_same_model()
    {
        var first = await MigratedAsync();
        var second = await MigratedAsync();

        var a = await SchemaCatalog.ReadAsync(first, Scope);
        var b = await SchemaCatalog.ReadAsync(second, Scope);
        var (replayed, _) = await new SchemaReplay(_ => { }).BuildAsync(
            PostgresServerFixture.Server,
            Samples,
            null,
            Scope
        );

        SchemaDrift.Compare(a, b).Should().BeEmpty();
        SchemaDrift.Compare(replayed, a).Should().BeEmpty();
        a.Objects.Keys.Should()
            .Contain([
                "table public.messages",
                "rls public.messages",
                "index public.messages_conversation_created_idx",
                "function public.is_conversation_member(conversation uuid)",
                "trigger public.messages.messages_touch_conversation",
                "policy storage.objects.members upload into their own folder",
                "grant on table public.messages to anon",
                "bucket chat-attachments",
            ]);
        a.Objects.Keys.Should()
            .NotContain(
                k => k.StartsWith("table auth.") || k.StartsWith("table supabase_migrations."),
                "Supabase's own schemas are left out"
            );
    }

    [Test]
    public async Task Each_hand_edit_is_found_as_object_expected_actual_and_nothing_else()
    {
        var expected = await SchemaCatalog.ReadAsync(await MigratedAsync(), Scope);
        var edited = await MigratedAsync();
        foreach (var (sql, _, _) in HandEdits) await TestDatabase.ScalarAsync(edited, sql);

        var differences = SchemaDrift.Compare(expected, await SchemaCatalog.ReadAsync(edited, Scope));

        differences.Select(d => (d.Object, d.Kind)).Should().BeEquivalentTo(HandEdits.Select(e => (e.Object, e.Kind)));
        differences
            .Single(d => d.Object == "column public.messages.created_at")
            .Actual.Should()
            .Contain("default '2020-01-01");
        differences
            .Single(d => d.Object == "rls public.tenants")
            .Should()
            .Be(new SchemaDifference("rls public.tenants", "enabled", "disabled"));
        differences.Single(d => d.Object == "grant on schema public to anon").Actual.Should().Be("CREATE, USAGE");
        SchemaDrift
            .Format(differences.Single(d => d.Object.StartsWith("function ")))
            .Should()
            .Contain("expected:")
            .And.Contain("select true");
    }

    [Test]
    public async Task A_table_created_by_hand_in_a_Supabase_schema_is_left_out_but_one_in_a_schema_of_the_app_is_found()
    {
        var expected = await SchemaCatalog.ReadAsync(await MigratedAsync(), Scope);
        var edited = await MigratedAsync();
        await TestDatabase.ScalarAsync(
            edited,
            "create table auth.sso_providers(id uuid); create schema private; create table private.audit(id int)"
        );

        var differences = SchemaDrift.Compare(expected, await SchemaCatalog.ReadAsync(edited, Scope));

        differences
            .Select(d => d.Object)
            .Should()
            .BeEquivalentTo(["schema private", "table private.audit", "column private.audit.id", "rls private.audit"]);
    }

    // ---- the target ----

    private static Dictionary<string, string> Variables(string local, string? staging = null)
    {
        var variables = new Dictionary<string, string>
        {
            ["LOCAL_DATABASE_URL"] = DatabaseUrl.ToUrl(local),
            ["SCRATCH_DATABASE_URL"] = DatabaseUrl.ToUrl(PostgresServerFixture.Server.AdminConnectionString),
        };
        if (staging is not null) variables["STAGING_DATABASE_URL"] = DatabaseUrl.ToUrl(staging);
        return variables;
    }

    [Test]
    public async Task DetectSchemaDrift_passes_on_a_migrated_database_and_fails_naming_a_column_added_by_hand()
    {
        var database = await MigratedAsync();
        var clean = await SuiteRun.RunAsync(Variables(database), "--target=DetectSchemaDrift", "--env=local");
        await TestDatabase.ScalarAsync(database, "alter table public.profiles add column nickname text");
        var drifted = await SuiteRun.RunAsync(Variables(database), "--target=DetectSchemaDrift", "--env=local");

        clean.ExitCode.Should().Be(0, clean.All);
        clean
            .Out.Should()
            .Contain("No drift")
            .And.MatchRegex(@"compared with its \d+ applied migration\(s\) replayed from scratch");
        drifted.ExitCode.Should().NotBe(0);
        drifted
            .All.Should()
            .Contain("extra   column public.profiles.nickname")
            .And.Contain("expected: (absent)")
            .And.Contain("actual:   text null")
            .And.Contain("Schema drift on local: 1 difference(s)");
    }

    [Test]
    public async Task Pending_migrations_are_not_drift_and_against_another_environment_compares_the_two_databases()
    {
        var database = await PostgresServerFixture.CreateDatabaseAsync("drift");
        await SupabasePlatform.InstallAsync(database);
        var firstTwo = Samples with { Files = Samples.Files.Take(2).ToList() };
        await new MigrationRunner(new MigrationRunnerOptions { AppliedBy = "test" }).ApplyAsync(database, firstTwo);
        var staging = await MigratedAsync();

        var pending = await SuiteRun.RunAsync(Variables(database), "--target=DetectSchemaDrift", "--env=local");
        var against = await SuiteRun.RunAsync(
            Variables(database, staging),
            "--target=DetectSchemaDrift",
            "--env=local",
            "--against=staging"
        );

        pending.ExitCode.Should().Be(0, pending.All);
        pending.Out.Should().Contain($"({Samples.Files.Count - 2} pending not included)");
        against.ExitCode.Should().NotBe(0);
        against
            .All.Should()
            .Contain("compared with 'staging'")
            .And.Contain("missing policy public.messages.authors edit their messages");
    }

    [Test]
    public async Task Validate_runs_the_drift_check_where_the_database_is_set_and_skip_drift_skips_it()
    {
        var database = await MigratedAsync();
        await TestDatabase.ScalarAsync(database, "alter table public.tenants disable row level security");

        var validate = await SuiteRun.RunAsync(Variables(database), "--target=Validate", "--env=local");
        var skipped = await SuiteRun.RunAsync(Variables(database), "--target=Validate", "--env=local", "--skip-drift");

        validate.ExitCode.Should().NotBe(0);
        validate.All.Should().Contain("changed rls public.tenants");
        skipped.ExitCode.Should().Be(0, skipped.All);
        skipped.All.Should().NotContain("rls public.tenants");
    }
}
