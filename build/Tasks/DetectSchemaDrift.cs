using Build.Migrations.Database;
using Build.Migrations.Scratch;
using Build.Schema;
using Build.Secrets;
using Npgsql;
using static Build.Tasks.MigrationTaskSupport;

namespace Build.Tasks;

[TaskName(nameof(DetectSchemaDrift))]
[TaskDescription(
    "Compares --env's schema (tables, columns, constraints, indexes, views, functions, triggers, sequences, enums, " +
    "domains, RLS and policies, extensions, grants to the API roles, storage buckets) with what its applied " +
    "migrations produce on a throwaway database, or with --against=<env>'s; Supabase's own schemas left out; fails " +
    "on any difference. Runs inside Validate where the database is set (--skip-drift to skip)"
)]
[TaskArgument<string>(
    "against",
    "Compare with this environment's database instead of a replay of the migrations",
    Placeholder = "ENV"
)]
[TaskArgument<bool>("skip-drift", "Inside Validate: do not compare the database's schema with the migrations")]
public sealed class DetectSchemaDrift : AsyncFrostingTask<BuildContext>
{
    private bool CalledByName(BuildContext context) => context.RunTarget == nameof(DetectSchemaDrift);

    // Inside Validate: only where the environment's database is configured, and not with --skip-drift.
    public override bool ShouldRun(BuildContext context) =>
        CalledByName(context)
        || !context.Flag("skip-drift")
            && (
                context.Secrets.Has(SecretName.DatabaseUrl)
                || context.EnvironmentName == "local" && LocalDatabase.Exists(context.RepositoryRoot)
            );

    public override async Task RunAsync(BuildContext context)
    {
        var scope = new SchemaScope(context.Config.Project.Data.EffectivePlatformSchemas, SchemaScope.ApiRoles);
        var against = context.Arg("against");
        if (against is not null && !context.Config.Environments.ContainsKey(against))
            throw new InvalidOperationException(
                $"--against={against} is not an environment of {Path.GetFileName(context.ConfigPath)} (" +
                $"{string.Join(", ", context.Config.Environments.Keys)})."
            );
        if (against == context.EnvironmentName)
            throw new InvalidOperationException(
                $"--against={against} is --env itself: name another environment, or leave --against out to compare " +
                "with the migrations."
            );

        await using var target = await OpenTargetAsync(context);
        if (!CalledByName(context) && !await ReachableAsync(context, target))
            return;
        var actual = await SchemaCatalog.ReadAsync(target.ConnectionString, scope);
        int actualMajor;
        await using (var connection = new NpgsqlConnection(target.ConnectionString))
        {
            await connection.OpenAsync();
            actualMajor = connection.PostgreSqlVersion.Major;
        }

        SchemaModel expected;
        string expectedFrom;
        int expectedMajor;
        if (against is not null)
        {
            var other = context.Config.Environments[against];
            var url = context.SecretsFor(other).Require(SecretName.DatabaseUrl);
            var otherConnection = DatabaseUrl.ToConnectionString(url);
            expected = await SchemaCatalog.ReadAsync(otherConnection, scope);
            await using var connection = new NpgsqlConnection(otherConnection);
            await connection.OpenAsync();
            expectedMajor = connection.PostgreSqlVersion.Major;
            expectedFrom = $"'{against}' ({DatabaseUrl.Describe(otherConnection)})";
        }
        else
        {
            var contents = LoadMigrations(context);
            var applied = await SchemaReplay.AppliedVersionsAsync(target.ConnectionString);
            var pending = contents.Files.Count(f => !applied.Contains(f.Version));
            var reuseLocal = target.Owned is LocalDatabase && context.Variable(ScratchPostgres.UrlVariable) is null;
            await using var ownScratch = reuseLocal ? null : await StartScratchAsync(context);
            var scratch = ownScratch ?? ((LocalDatabase)target.Owned!).Server;
            (expected, expectedMajor) = await new SchemaReplay(Progress(context)).BuildAsync(
                scratch,
                contents,
                applied,
                scope
            );
            expectedFrom =
                $"its {contents.Files.Count - pending} applied migration(s) replayed from scratch"
                + (pending > 0 ? $" ({pending} pending not included)" : "");
        }
        if (expectedMajor != actualMajor)
            context.Warning(
                "The expected schema was read from PostgreSQL {0} and {1} runs {2}: some definitions may print " +
                "differently. "
                    + "Set {3} to a PostgreSQL {2} server to compare like with like.",
                expectedMajor,
                context.EnvironmentName,
                actualMajor,
                ScratchPostgres.UrlVariable
            );

        var differences = SchemaDrift.Compare(expected, actual);
        context.Information(
            "Schema of {0}: {1} object(s), compared with {2}: {3} object(s); left out: {4}.",
            context.EnvironmentName,
            actual.Count,
            expectedFrom,
            expected.Count,
            string.Join(", ", scope.ExcludedSchemas)
        );
        if (differences.Count == 0)
        {
            context.Information(
                "No drift: {0}'s schema is exactly what {1} gives.",
                context.EnvironmentName,
                against is null ? "its migrations" : $"'{against}' has"
            );
            return;
        }
        foreach (var difference in differences)
        {
            context.Error("{0}", SchemaDrift.Format(difference));
            context.Ci.Error(
                $"{difference.Kind} {difference.Object}: expected {difference.Expected ?? "(absent)"}, actual " +
                $"{difference.Actual ?? "(absent)"}",
                title: "Schema drift"
            );
        }
        if (context.Ci.IsGitHubActions)
            context.Ci.Summary(
                $"### Schema drift on {context.EnvironmentName}\n\n| object | expected | actual |\n|---|---|---|\n"
                    + string.Join(
                        "\n",
                        differences.Select(d => $"| `{d.Object}` | {Cell(d.Expected)} | {Cell(d.Actual)} |")
                    )
                    + "\n"
            );
        throw new InvalidOperationException(
            $"Schema drift on {context.EnvironmentName}: {differences.Count} difference(s) from {expectedFrom} "
                + $"({differences.Count(d => d.Kind == "missing")} missing, " +
                $"{differences.Count(d => d.Kind == "extra")} extra, {differences.Count(d => d.Kind == "changed")} " +
                "changed). "
                + "A change made by hand belongs in a migration: `./build.sh --target=NewMigration --name=...`, or " +
                "undo it."
        );
    }

    private static string Cell(string? text) =>
        text is null
            ? "(absent)"
            : "`" + (text.Length > 120 ? text[..120] + "…" : text).Replace("|", "\\|").ReplaceLineEndings(" ") + "`";

    /// <summary>Inside Validate an unreachable database is a warning that says drift was not checked, not a
    /// failure.</summary>
    private static async Task<bool> ReachableAsync(BuildContext context, TargetDatabase target)
    {
        try
        {
            await using var connection = new NpgsqlConnection(
                new NpgsqlConnectionStringBuilder(target.ConnectionString) { Timeout = 8 }.ConnectionString
            );
            await connection.OpenAsync();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            context.Warning(
                "Schema drift NOT checked: {0} is not reachable ({1}). Run --target=DetectSchemaDrift --env={2} once " +
                "it is.",
                target.Description,
                e.Message.Split('\n')[0],
                context.EnvironmentName
            );
            return false;
        }
    }
}
