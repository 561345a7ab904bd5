using System.Text.Json.Nodes;
using Build.Data;
using Build.GitHub;
using Build.Secrets;

namespace Build.Tasks;

[TaskName(nameof(RotateDbPassword))]
[TaskDescription(
    "Gives the role in --env's database URL a new random password, proves a new connection with it, then updates the " +
    "GitHub environment secret holding the URL (when GITHUB_TOKEN and project.repository are set; GITHUB_API_URL) " +
    "and .env.<env> where it holds it; any failure puts the old password back. Never prints the password"
)]
[ChangesEnvironment]
public sealed class RotateDbPassword : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.EnvironmentName;
        var url = context.Secrets.Require(SecretName.DatabaseUrl);
        var variable = context.Secrets.SourceOf(SecretName.DatabaseUrl)!;
        context.Masker.Add(url);
        var steps = new List<RotationStep>();

        var token = context.Secrets.Get(SecretName.GitHubToken);
        var repository = context.Config.Project.Repository;
        if (token is not null && repository is not null)
        {
            var api = new GitHubRest(
                new Uri(context.Variable("GITHUB_API_URL") ?? Gates.RunApprovals.DefaultApiBase),
                token
            );
            var path = $"repos/{repository}/environments/{Uri.EscapeDataString(environment)}/secrets";
            async Task Seal(string value)
            {
                var key =
                    await api.GetAsync($"{path}/public-key")
                    ?? throw new InvalidOperationException(
                        $"GitHub has no '{environment}' environment in {repository} (its secrets' public key " +
                        "answered 404): run ./build.sh --target=ConfigureGitHub --apply first."
                    );
                await api.PutAsync(
                    $"{path}/{variable}",
                    new JsonObject
                    {
                        ["encrypted_value"] = SecretSealer.Seal(value, key["key"]!.GetValue<string>()),
                        ["key_id"] = key["key_id"]!.GetValue<string>(),
                    }
                );
            }
            steps.Add(
                new RotationStep(
                    $"the GitHub secret {variable} of {repository}'s '{environment}' environment",
                    Seal,
                    () => Seal(url)
                )
            );
        }
        else
            context.Information(
                "GitHub: {0}, so no GitHub secret is updated.",
                token is null ? "GITHUB_TOKEN is not set" : "project.repository is not set"
            );

        var dotEnv = Path.Combine(context.RepositoryRoot, $".env.{environment}");
        if (DotEnvVariableWriter.Holds(dotEnv, variable))
        {
            var original = File.ReadAllText(dotEnv);
            steps.Add(new RotationStep($".env.{environment} ({variable})",
                value => { DotEnvVariableWriter.Replace(dotEnv, variable, value); return Task.CompletedTask; },
                () => { DotEnvVariableWriter.WriteAll(dotEnv, original); return Task.CompletedTask; }));
        }

        var rotator = new DbPasswordRotator(message => context.Information("{0}", message), context.Masker.Add);
        var outcome = await rotator.RotateAsync(url, steps);
        context.Information(
            "Rotated the password of role {0} for {1}{2}. The new password is in no output; processes that already " +
            "hold the old URL keep their sessions until they reconnect.",
            outcome.Role,
            environment,
            outcome.Updated.Count == 0
                ? " (no place holding the URL was found to update: set " + variable + " where it is read)"
                : "; updated " + string.Join(", ", outcome.Updated)
        );
    }
}
