using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Build.Health;

/// <summary>
/// One GET of a health URL and the verdict on it. Healthy means HTTP 200, a JSON object whose <c>status</c> is
/// <c>"ok"</c> and, when a commit is expected, a <c>commit</c> equal to it: an old process still answering does not
/// pass.
/// </summary>
public static class HealthEndpoint
{
    private const int BodyLimitBytes = 64 * 1024;
    private const int ExcerptChars = 200;
    private const int MinimumShaLength = 7;

    public static async Task<ProbeResult> GetAsync(
        HttpClient http,
        Uri url,
        string? expectedCommit,
        CancellationToken cancellationToken
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.CacheControl = new() { NoCache = true, NoStore = true };
        // A fresh connection each time: a pooled keep-alive connection could keep talking to a process being retired.
        request.Headers.ConnectionClose = true;

        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await ReadLimitedAsync(response.Content, cancellationToken);
        var latency = watch.Elapsed;
        return Judge(response.StatusCode, body, expectedCommit) with { Latency = latency };
    }

    /// <summary>The verdict on an answer, latency left empty.</summary>
    public static ProbeResult Judge(HttpStatusCode status, string body, string? expectedCommit)
    {
        if (status != HttpStatusCode.OK)
            return Fail($"HTTP {(int)status} {status}: {Excerpt(body)}");

        JsonElement root;
        try
        {
            using var json = JsonDocument.Parse(body);
            root = json.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Fail($"HTTP 200 but the body is not JSON: {Excerpt(body)}");
        }
        if (root.ValueKind != JsonValueKind.Object)
            return Fail($"HTTP 200 but the body is not a JSON object: {Excerpt(body)}");

        var reportedStatus = StringProperty(root, "status");
        var reportedCommit = StringProperty(root, "commit");
        if (reportedStatus != "ok")
            return Fail(reportedStatus is null
                ? $"the body has no \"status\": {Excerpt(body)}"
                : $"status is \"{reportedStatus}\", not \"ok\": {Excerpt(body)}", reportedCommit);

        if (expectedCommit is not null)
        {
            if (reportedCommit is null)
                return Fail($"the body has no \"commit\" (expected {Short(expectedCommit)}): {Excerpt(body)}");
            if (!CommitsMatch(expectedCommit, reportedCommit))
                return Fail(
                    $"wrong commit: expected {Short(expectedCommit)}, got {Short(reportedCommit)} (an older release " +
                    "still answering?)",
                    reportedCommit
                );
        }
        return new ProbeResult(true, null, reportedCommit, null);

        static ProbeResult Fail(string why, string? commit = null) => new(false, null, commit, why);
    }

    /// <summary>Equal, or one a prefix of the other when the shorter is an abbreviated sha (7+ characters):
    /// routes may report the short form.</summary>
    public static bool CommitsMatch(string expected, string reported)
    {
        var a = expected.Trim().ToLowerInvariant();
        var b = reported.Trim().ToLowerInvariant();
        if (a == b) return true;
        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        // Both plain hex: "abc1234" must not match "abc1234...-dirty".
        return shorter.Length >= MinimumShaLength
            && longer.All(Uri.IsHexDigit)
            && longer.StartsWith(shorter, StringComparison.Ordinal);
    }

    /// <summary>The 7-character form of a sha (keeping a <c>-dirty</c> marker), or the text as it is.</summary>
    public static string Short(string commit)
    {
        var trimmed = commit.Trim();
        var hexLength = trimmed.TakeWhile(Uri.IsHexDigit).Count();
        return hexLength == 40 ? trimmed[..MinimumShaLength] + trimmed[40..] : trimmed;
    }

    public static string Excerpt(string body)
    {
        var flat = string.Join(' ', body.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Trim();
        if (flat.Length == 0)
            return "(empty body)";
        return flat.Length <= ExcerptChars ? flat : flat[..ExcerptChars] + "...";
    }

    private static string? StringProperty(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[BodyLimitBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            total += read;
        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
