using Build.Configuration;

namespace Build.Health;

/// <summary>Which URLs a health check probes for an environment.</summary>
public static class HealthTargets
{
    /// <summary>
    /// <paramref name="overrides"/> (<c>--url=</c>, comma-separated or repeated) when given; else the environment's
    /// <c>healthUrls</c>; else <c>publicUrl</c> + <c>vps.healthPath</c> (the local environment has no public health
    /// URLs).
    /// </summary>
    public static IReadOnlyList<Uri> Resolve(EnvironmentSettings environment, IEnumerable<string> overrides)
    {
        var given = overrides
            .SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (given.Count > 0)
            return given.Select(u => Parse(u, "--url")).ToList();

        if (environment.HealthUrls.Count > 0)
            return environment
                .HealthUrls.Select((u, i) => Parse(u, $"environments.{environment.Name}.healthUrls[{i}]"))
                .ToList();

        if (environment.PublicUrl is { } publicUrl && environment.Vps is { } vps)
            return [new Uri(Parse(publicUrl, $"environments.{environment.Name}.publicUrl"), vps.HealthPath)];

        throw new InvalidOperationException(
            $"Environment '{environment.Name}' has no healthUrls (nor a publicUrl with vps.healthPath) in the " +
            "configuration: pass --url=<health URL>."
        );
    }

    private static Uri Parse(string value, string where) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidOperationException($"{where}: '{value}' is not an absolute http(s) URL.");
}
