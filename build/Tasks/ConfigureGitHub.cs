using Build.GitHub;
using Build.Secrets;

namespace Build.Tasks;

[TaskName(nameof(ConfigureGitHub))]
[TaskDescription(
    "Branch protection for the environments' branches, .github/CODEOWNERS, GitHub environments with required " +
    "reviewers and branch policies, their secrets (sealed) and variables, the repository secrets of jobs with no " +
    "environment (github.repositorySecrets), from the github section of environments.json: --dryrun shows the " +
    "difference as a table, --apply writes it (GITHUB_TOKEN; GITHUB_API_URL)"
)]
[TaskArgument<bool>("apply", "Write the difference to GitHub (without it, or with --dryrun, nothing is sent)")]
[TaskArgument<string>(
    "repository",
    "The repository to configure instead of project.repository",
    Placeholder = "OWNER/NAME"
)]
[TaskArgument<bool>(
    "update-secrets",
    "Also replace secrets GitHub already has (it never shows their values, so they are kept by default)"
)]
[OwnDryRun]
public sealed class ConfigureGitHub : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var apply = context.Flag("apply");
        if (apply && context.IsDryRun)
            throw new InvalidOperationException("--apply and --dryrun contradict each other: give one.");
        var repository =
            context.Arg("repository")
            ?? context.Config.Project.Repository
            ?? throw new InvalidOperationException(
                "No repository: set project.repository in environments.json or pass --repository=owner/name."
            );
        if (repository.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
            throw new InvalidOperationException($"--repository={repository}: expected owner/name.");
        // A secret like the others: the process first, then .env.<env> (already registered with the masker).
        var token =
            context.Secrets.Get(SecretName.GitHubToken)
            ?? throw new InvalidOperationException(
                $"GITHUB_TOKEN is not set (in the process or .env.{context.EnvironmentName}): ConfigureGitHub needs " +
                $"a token with administration, environments, secrets and variables access to {repository}."
            );
        var apiBase = new Uri(context.Variable("GITHUB_API_URL") ?? Gates.RunApprovals.DefaultApiBase);

        var api = new GitHubRest(apiBase, token);
        var dotEnv = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        string? SecretValue(string environment, string variable)
        {
            if (!dotEnv.TryGetValue(environment, out var file))
                dotEnv[environment] = file = DotEnvFile.Read(
                    Path.Combine(context.RepositoryRoot, $".env.{environment}")
                );
            var value = context.Variable(variable) ?? file.GetValueOrDefault(variable);
            if (value is not null) context.Masker.Add(value);
            return value;
        }

        var configurator = new GitHubConfigurator(
            api,
            context.Config,
            new GitHubTarget(repository, context.RepositoryRoot, SecretValue, context.Flag("update-secrets"))
        );
        IReadOnlyList<GitHubChange> plan;
        try
        {
            plan = await configurator.PlanAsync();
        }
        catch (Octokit.ApiException ex)
        {
            throw new InvalidOperationException($"Reading {repository} from {apiBase}: {GitHubRest.Describe(ex)}", ex);
        }

        context.Information("{0} at {1}:\n{2}", repository, apiBase, Table(plan));
        var needed = plan.Where(c => c.IsNeeded).ToList();
        var lacking = plan.Where(c => c.LacksValue).ToList();
        if (lacking.Count > 0)
            context.Warning(
                "{0} secret(s) GitHub lacks have no value on this machine, so nothing is written for them: {1} (the " +
                "table says where each goes).",
                lacking.Count,
                string.Join(", ", lacking.Select(c => c.Item))
            );
        if (!apply)
        {
            context.Information(
                needed.Count == 0
                    ? "GitHub already matches the configuration."
                    : $"{needed.Count} change(s) to make; nothing was sent. Write them with ./build.sh " +
                        "--target=ConfigureGitHub --apply"
            );
            return;
        }
        if (needed.Count == 0)
        {
            context.Information(
                "GitHub already matches the configuration: nothing written (0 requests that change anything)."
            );
            return;
        }
        foreach (var change in needed)
        {
            try { await change.Apply!(); }
            catch (Exception ex) when (ex is Octokit.ApiException or InvalidOperationException)
            {
                throw new InvalidOperationException(
                    $"{change.Area} {change.Item}: {GitHubRest.Describe(ex)} ({api.Writes.Count} write(s) sent " +
                    "before it; run again to finish).",
                    ex
                );
            }
            context.Information(
                "  {0} {1}: {2}",
                change.Action == "create" ? "created" : "updated",
                change.Area,
                change.Item
            );
        }
        context.Information(
            "Wrote {0} change(s) with {1} request(s). A second --apply now writes nothing.",
            needed.Count,
            api.Writes.Count
        );
        if (needed.Any(c => c.Area == "codeowners"))
            context.Warning(
                "{0} was written in this checkout: commit it (CODEOWNERS only counts on the default branch).",
                CodeOwnersFile.RelativePath
            );
    }

    /// <summary>The difference as a plain table (logs have no terminal): area, item, GitHub now, configuration,
    /// action.</summary>
    private static string Table(IReadOnlyList<GitHubChange> plan)
    {
        string[] header = ["area", "item", "GitHub now", "configuration wants", "action"];
        var rows = plan.Select(c => new[] { c.Area, c.Item, c.Current, c.Wanted, c.Action }).Prepend(header).ToList();
        return PlainTable.Render(rows);
    }
}
