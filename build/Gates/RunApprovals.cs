using System.Net.Http.Headers;
using System.Text.Json;

namespace Build.Gates;

/// <summary>
/// Asks GitHub's REST API who reviewed a workflow run's deployment to an environment
/// (GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals) and whether the run is still going
/// (GET /repos/{owner}/{repo}/actions/runs/{run_id}). Knows nothing of Cake.
/// </summary>
public sealed class RunApprovals(HttpClient http, Uri apiBase, string token)
{
    public const string DefaultApiBase = "https://api.github.com";

    public async Task<RunApprovalState> ForRunAsync(
        string repository,
        string runId,
        string environment,
        CancellationToken cancellationToken = default
    )
    {
        var run = await GetAsync($"repos/{repository}/actions/runs/{Uri.EscapeDataString(runId)}", cancellationToken);
        var status = run.TryGetProperty("status", out var s) ? s.GetString() : null;
        var reviews = await GetAsync(
            $"repos/{repository}/actions/runs/{Uri.EscapeDataString(runId)}/approvals",
            cancellationToken
        );
        var approved = new List<string>();
        var rejected = new List<string>();
        if (reviews.ValueKind == JsonValueKind.Array)
            foreach (var review in reviews.EnumerateArray())
            {
                var forEnvironment =
                    review.TryGetProperty("environments", out var environments)
                    && environments.ValueKind == JsonValueKind.Array
                    && environments
                        .EnumerateArray()
                        .Any(e => e.TryGetProperty("name", out var n) && n.GetString() == environment);
                if (!forEnvironment)
                    continue;
                var login =
                    review.TryGetProperty("user", out var user)
                    && user.ValueKind == JsonValueKind.Object
                    && user.TryGetProperty("login", out var l)
                        ? l.GetString() ?? "?"
                        : "?";
                var state = review.TryGetProperty("state", out var st) ? st.GetString() : null;
                if (state == "approved") approved.Add(login);
                else if (state == "rejected") rejected.Add(login);
            }
        return new RunApprovalState(status, approved, rejected);
    }

    private async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            new Uri(apiBase.ToString().TrimEnd('/') + "/" + path)
        );
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("release-suite", "1.0"));
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET /{path} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return document.RootElement.Clone();
    }
}
