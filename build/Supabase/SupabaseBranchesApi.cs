using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Build.Supabase;

/// <summary>The branching endpoints of the Supabase Management API (https://api.supabase.com/v1, bearer token):
/// list and create under /v1/projects/{ref}/branches, delete at /v1/branches/{branch_id}.</summary>
public sealed class SupabaseBranchesApi : IDisposable
{
    public const string DefaultBaseUrl = "https://api.supabase.com";
    private readonly HttpClient _http;

    public SupabaseBranchesApi(Uri baseUrl, string accessToken, TimeSpan? timeout = null)
    {
        _http = new HttpClient
        {
            BaseAddress = new Uri(baseUrl.ToString().TrimEnd('/') + "/"),
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("muva-chat-build", "1.0"));
    }

    public Uri BaseUrl => _http.BaseAddress!;

    public async Task<IReadOnlyList<SupabaseBranch>> ListAsync(string projectRef, CancellationToken cancel = default)
    {
        var json = await SendAsync(
            HttpMethod.Get,
            $"v1/projects/{Uri.EscapeDataString(projectRef)}/branches",
            null,
            $"listing the branches of project {projectRef}",
            cancel
        );
        return json is JsonArray array
            ? array.OfType<JsonObject>().Select(Read).ToList()
            : throw new SupabaseApiException(
                $"Listing the branches of project {projectRef}: expected a JSON array from {BaseUrl}, got " +
                $"{Shape(json)}."
            );
    }

    /// <summary>POST /v1/projects/{ref}/branches with branch_name and git_branch: the new branch runs the project's
    /// migrations on an empty database of its own.</summary>
    public async Task<SupabaseBranch> CreateAsync(
        string projectRef,
        string branchName,
        string gitBranch,
        CancellationToken cancel = default
    )
    {
        var body = new JsonObject { ["branch_name"] = branchName, ["git_branch"] = gitBranch };
        var json = await SendAsync(
            HttpMethod.Post,
            $"v1/projects/{Uri.EscapeDataString(projectRef)}/branches",
            body,
            $"creating branch '{branchName}' of project {projectRef}",
            cancel
        );
        return json is JsonObject o
            ? Read(o)
            : throw new SupabaseApiException(
                $"Creating branch '{branchName}': expected a JSON object from {BaseUrl}, got {Shape(json)}."
            );
    }

    public async Task DeleteAsync(string branchId, CancellationToken cancel = default) =>
        await SendAsync(
            HttpMethod.Delete,
            $"v1/branches/{Uri.EscapeDataString(branchId)}",
            null,
            $"deleting branch {branchId}",
            cancel
        );

    private async Task<JsonNode?> SendAsync(
        HttpMethod method,
        string path,
        JsonNode? body,
        string doing,
        CancellationToken cancel
    )
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancel);
        }
        catch (HttpRequestException e)
        {
            throw new SupabaseApiException($"{Capital(doing)}: {BaseUrl} could not be reached ({e.Message}).", null, e);
        }
        catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new SupabaseApiException(
                $"{Capital(doing)}: {BaseUrl} did not answer within {_http.Timeout.TotalSeconds:0} s.",
                null,
                e
            );
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancel);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
                throw new SupabaseApiException(Describe(doing, status, text), status);
            if (string.IsNullOrWhiteSpace(text))
                return null;
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                throw new SupabaseApiException(
                    $"{Capital(doing)}: {BaseUrl} answered {status} with a body that is not JSON.",
                    status
                );
            }
        }
    }

    /// <summary>What went wrong and what to do, from the status and the API's own message (never the token).</summary>
    private string Describe(string doing, int status, string body)
    {
        var said = ApiMessage(body) is { } m ? $" (the API says: {m})" : "";
        var hint = status switch
        {
            401 =>
                "SUPABASE_ACCESS_TOKEN was refused: it is missing, mistyped, revoked or expired. Create a personal " +
                "access token at https://supabase.com/dashboard/account/tokens and set SUPABASE_ACCESS_TOKEN.",
            403 => "the token's account may not manage this project (or branching is not available on its plan).",
            404 =>
                "not found: check supabaseProjectRef in build/environments.json (or the branch name/id), and that " +
                "branching is enabled for the project (Dashboard → Branches).",
            409 =>
                "it conflicts with the current state (a branch of that name or git branch may already exist: list " +
                "them with --action=list).",
            422 or 400 => "the request was refused as invalid.",
            429 => "too many requests: the Management API allows about 60 a minute; wait a minute and run again.",
            >= 500 => "the Management API failed on its side; run again later.",
            _ => "unexpected answer.",
        };
        return $"{Capital(doing)}: {BaseUrl} answered {status}: {hint}{said}";
    }

    private static string? ApiMessage(string body)
    {
        try
        {
            return
                JsonNode.Parse(body) is JsonObject o
                && (o["message"] ?? o["error"]) is JsonValue v
                && v.TryGetValue<string>(out var s)
                ? (s.Length > 200 ? s[..200] + "…" : s)
                : null;
        }
        catch (JsonException) { return null; }
    }

    private static SupabaseBranch Read(JsonObject o) =>
        new(
            Text(o, "id") ?? throw new SupabaseApiException("A branch without an id in the Management API's answer."),
            Text(o, "name") ?? Text(o, "branch_name") ?? "(unnamed)",
            Text(o, "project_ref"),
            Text(o, "git_branch"),
            Text(o, "status"),
            Bool(o, "is_default"),
            Bool(o, "persistent"),
            Text(o, "created_at") is { } created
            && DateTimeOffset.TryParse(
                created,
                System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal,
                out var at
            )
                ? at
                : null
        );

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;

    private static bool Bool(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string Shape(JsonNode? json) =>
        json switch
        {
            null => "an empty body",
            JsonArray => "an array",
            JsonObject => "an object",
            _ => "a value",
        };

    private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    public void Dispose() => _http.Dispose();
}
