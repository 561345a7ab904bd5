using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Octokit;
using Octokit.Internal;

namespace Build.GitHub;

/// <summary>
/// GitHub's REST API through Octokit's <see cref="IConnection"/> (auth, base address, errors, rate limits), with
/// bodies as JSON text: Octokit 14 has no typed calls for environments, their secrets and variables or deployment
/// branch policies, and its branch protection model lacks linear history and force-push settings.
/// </summary>
public sealed class GitHubRest
{
    private readonly IConnection _connection;

    public GitHubRest(Uri apiBase, string token)
    {
        // Octokit appends relative paths to the base; it must end with '/' or its last segment is replaced.
        var baseAddress = new Uri(apiBase.ToString().TrimEnd('/') + "/");
        _connection = new Connection(
            new ProductHeaderValue("muva-chat-release-suite"),
            baseAddress,
            new InMemoryCredentialStore(new Credentials(token))
        );
    }

    /// <summary>Every write sent, as "METHOD path" (the task says how many; tests read none of it).</summary>
    public List<string> Writes { get; } = [];

    /// <summary>The JSON at <paramref name="path"/>, or null when GitHub answers 404.</summary>
    public async Task<JsonNode?> GetAsync(string path)
    {
        try
        {
            var response = await _connection.GetRaw(new Uri(path, UriKind.Relative), new Dictionary<string, string>());
            // Octokit keeps a JSON answer as text in the raw response, other content types as bytes.
            var body = response.HttpResponse.Body switch
            {
                string text => text,
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                _ => "",
            };
            return body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    public Task PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body);
    public Task PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body);
    public Task PatchAsync(string path, JsonNode body) => SendAsync(HttpMethod.Patch, path, body);

    private async Task SendAsync(HttpMethod method, string path, JsonNode body)
    {
        Writes.Add($"{method} /{path}");
        var uri = new Uri(path, UriKind.Relative);
        // An HttpContent goes through Octokit's pipeline as it is: our JSON, with its content type.
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var status = method.Method switch
        {
            "PUT" => (await _connection.Put<object>(uri, content)).HttpResponse.StatusCode,
            "POST" => (await _connection.Post<object>(uri, content, "application/vnd.github+json", "application/json"))
                .HttpResponse
                .StatusCode,
            _ => (await _connection.Patch<object>(uri, content)).HttpResponse.StatusCode,
        };
        if ((int)status >= 300)
            throw new InvalidOperationException($"{method} /{path} answered {(int)status} {status}");
    }

    /// <summary>A user's or team's numeric id, which environment reviewers are given by.</summary>
    public async Task<(string Type, long Id)> ReviewerAsync(string reviewer)
    {
        var name = reviewer.TrimStart('@');
        var slash = name.IndexOf('/');
        var node =
            slash < 0
                ? await GetAsync($"users/{name}")
                : await GetAsync($"orgs/{name[..slash]}/teams/{name[(slash + 1)..]}");
        if (node?["id"] is not { } id)
            throw new InvalidOperationException(
                $"GitHub knows no {(slash < 0 ? "user" : "team")} {reviewer} (github.environments.*.reviewers)."
            );
        return (slash < 0 ? "User" : "Team", id.GetValue<long>());
    }

    public static string Describe(Exception ex) =>
        ex switch
        {
            AuthorizationException =>
                "GitHub refused the token (401): set GITHUB_TOKEN to a token with administration, environments, " +
                "secrets and variables write access",
            ForbiddenException f => $"GitHub forbids it (403): {f.Message}",
            ApiException a => $"GitHub answered {(int)a.StatusCode}: {a.Message}",
            _ => ex.Message,
        };
}
