using Build.Migrations;
using Build.Migrations.Database;
using Build.Migrations.Scratch;
using Build.Secrets;

namespace Build.Tasks;

/// <summary>What the migration targets share: reading the folder, finding --env's database, reporting problems.
/// (Not a target: a thin adapter from <see cref="BuildContext"/> to the Migrations services.)</summary>
internal static class MigrationTaskSupport
{
    public static MigrationDirectoryContents LoadMigrations(BuildContext context) =>
        MigrationDirectory.Load(context.InRepository(context.Config.Project.MigrationsPath));

    public static Action<string> Progress(BuildContext context) => message =>
    {
        StartupTrace.Mark(message.Length > 90 ? message[..90] : message);
        context.Information("{0}", message);
    };

    /// <summary>supabase/seed.sql when the environment seeds (local, dev) or --seed asks for it, and it
    /// exists.</summary>
    public static SeedFile? Seed(BuildContext context, bool wanted)
    {
        var path = context.InRepository(context.Config.Project.SeedPath);
        return wanted && File.Exists(path)
            ? new SeedFile(path, context.Config.Project.SeedPath.Replace('\\', '/'))
            : null;
    }

    /// <summary>The variable a repair command should name, e.g. "$STAGING_DATABASE_URL" (never the value).</summary>
    public static string RepairUrl(BuildContext context) =>
        "$" + context.Secrets.VariablesFor(SecretName.DatabaseUrl)[0];

    public static MigrationRunnerOptions Options(BuildContext context, SeedFile? seed = null) =>
        new()
        {
            LockTimeout = context.TargetEnvironment.Migrations.LockTimeout,
            StatementTimeout = context.TargetEnvironment.Migrations.StatementTimeout,
            AdvisoryLockWait = TimeSpan.FromSeconds(context.TargetEnvironment.Migrations.AdvisoryLockWaitSeconds),
            AllowOutOfOrder = context.Flag("allow-out-of-order"),
            RepairDatabaseUrl = RepairUrl(context),
            Seed = seed,
            AppliedBy =
                $"{context.RunTarget} --env={context.EnvironmentName} by " +
                $"{context.Variable("GITHUB_ACTOR") ?? Environment.UserName}"
                + (context.Variable("GITHUB_SHA") is { Length: >= 7 } sha ? $" at {sha[..7]}" : ""),
        };

    /// <summary>
    /// --env's database: its DATABASE_URL secret; for local without LOCAL_DATABASE_URL, the persistent cluster under
    /// .local/postgres (started now, stopped when the returned handle is disposed).
    /// </summary>
    public static async Task<TargetDatabase> OpenTargetAsync(BuildContext context)
    {
        if (context.EnvironmentName == "local" && !context.Secrets.Has(SecretName.DatabaseUrl))
        {
            var local = await LocalDatabase.StartAsync(context.RepositoryRoot, Progress(context));
            return new TargetDatabase(
                local.ConnectionString,
                $"the local database in {MigrationHistoryCheck.Relative(local.Directory)} (LOCAL_DATABASE_URL is not " +
                "set)",
                local
            );
        }
        var url = context.Secrets.Require(SecretName.DatabaseUrl);
        string connectionString;
        // The message names the variable and the fix; the parser never puts any of the value in it.
        try
        {
            connectionString = DatabaseUrl.ToConnectionString(url);
        }
        catch (DatabaseUrlFormatException e)
        {
            throw new DatabaseUrlFormatException($"{context.Secrets.SourceOf(SecretName.DatabaseUrl)} {e.Message}");
        }
        MigrationRunner.RefuseTransactionPooler(connectionString); // before any connection is tried
        return new TargetDatabase(
            connectionString,
            $"{context.EnvironmentName} ({DatabaseUrl.Describe(connectionString)}, from " +
            $"{context.Secrets.SourceOf(SecretName.DatabaseUrl)})",
            null
        );
    }

    /// <summary>SCRATCH_DATABASE_URL when set; else with SCRATCH_WARM=1 (build.sh sets it at a terminal) the warm
    /// server kept between runs, unless another run holds it; else a throwaway server of our own.</summary>
    public static async Task<ScratchPostgres> StartScratchAsync(
        BuildContext context,
        string? targetConnectionString = null,
        bool mayBeWarm = true
    )
    {
        var url = context.Variable(ScratchPostgres.UrlVariable);
        context.Masker.Add(url);
        if (
            url is null
            && mayBeWarm
            && context.Variable(WarmScratchServer.WarmVariable) == "1"
            && await WarmScratchServer.AcquireAsync(
                WarmScratchServer.DirectoryFor(context.RepositoryRoot),
                context.RepositoryRoot,
                targetConnectionString,
                Progress(context)
            )
                is { } warm
        )
            return warm;
        return await ScratchPostgres.StartAsync(url, context.RepositoryRoot, Progress(context));
    }

    /// <summary>Prints each problem and annotates it under GitHub Actions (file and line relative to the
    /// repository).</summary>
    public static void Report(BuildContext context, IEnumerable<MigrationProblem> problems)
    {
        foreach (var problem in problems)
        {
            var file = problem.File is null
                ? null
                : Path.GetRelativePath(context.RepositoryRoot, problem.File).Replace('\\', '/');
            if (problem.IsError)
            {
                context.Error("{0}", problem.ToString());
                context.Ci.Error(problem.Message, file, problem.Line, problem.Column, problem.Code);
            }
            else
            {
                context.Warning("{0}", problem.ToString());
                context.Ci.Warning(problem.Message, file, problem.Line, problem.Column, problem.Code);
            }
        }
    }
}

/// <summary>A connection string to --env's database, what to call it in messages, and the local server to stop
/// after.</summary>
internal sealed record TargetDatabase(string ConnectionString, string Description, IAsyncDisposable? Owned)
    : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
