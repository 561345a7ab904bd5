using Build.Migrations.Database;
using Build.Secrets;
using static Build.Tasks.MigrationTaskSupport;

namespace Build.Tasks;

[TaskName(nameof(MigrationStatus))]
[TaskDescription(
    "One table of every migration version against every environment (applied, pending, missing locally, changed, " +
    "unreachable); --env=X for one"
)]
public sealed class MigrationStatus : AsyncFrostingTask<BuildContext>
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(8);

    public override async Task RunAsync(BuildContext context)
    {
        var contents = LoadMigrations(context);
        var environments = context.Arguments.HasArgument("env")
            ? [context.TargetEnvironment]
            : context.Config.Environments.Values.ToList();

        // Side by side, all at once: an unreachable environment costs one timeout, not one per environment.
        var histories = await Task.WhenAll(environments.Select(environment => ReadAsync(context, environment)));
        var table = MigrationStatusTable.Build(contents.Files, histories);
        context.Information("{0}", table.ToText());
        if (context.Ci.IsGitHubActions) context.Ci.Summary(table.ToMarkdown());
    }

    private static async Task<EnvironmentHistory> ReadAsync(
        BuildContext context,
        Configuration.EnvironmentSettings environment
    )
    {
        // Each environment's secrets through its own store: the same variables and .env.<env> file a run for it would
        // read.
        var store = context.SecretsFor(environment);

        if (store.Get(SecretName.DatabaseUrl) is { } url)
        {
            string connectionString;
            try
            {
                connectionString = DatabaseUrl.ToConnectionString(url);
            }
            catch (FormatException e)
            {
                return EnvironmentHistory.NotConfigured(
                    environment.Name,
                    $"{store.SourceOf(SecretName.DatabaseUrl)} {e.Message}"
                );
            }
            return await EnvironmentHistory.ReadAsync(environment.Name, connectionString, ConnectTimeout);
        }
        if (environment.Name == "local" && LocalDatabase.Exists(context.RepositoryRoot))
        {
            try
            {
                await using var local = await LocalDatabase.StartAsync(context.RepositoryRoot, _ => { });
                return await EnvironmentHistory.ReadAsync(environment.Name, local.ConnectionString, ConnectTimeout);
            }
            catch (InvalidOperationException e)
            {
                return new EnvironmentHistory(
                    environment.Name,
                    null,
                    $"unreachable (local database in {LocalDatabase.DirectoryFor(context.RepositoryRoot)}: " +
                    $"{e.Message.Split('\n')[0]})"
                );
            }
        }
        return EnvironmentHistory.NotConfigured(
            environment.Name,
            $"not configured: {string.Join(" or ", store.VariablesFor(SecretName.DatabaseUrl))} is not set"
                + (
                    environment.Name == "local"
                        ? " and no local database exists yet (./build.sh --target=ApplyMigrations --env=local " +
                            "creates it)"
                        : ""
                )
        );
    }
}
