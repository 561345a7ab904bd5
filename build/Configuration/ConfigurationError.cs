namespace Build.Configuration;

/// <summary>One problem in the configuration file: where (JSON path and, when known, line) and what is expected.</summary>
public sealed record ConfigurationError(string File, string JsonPath, string Message, int? Line = null)
{
    public override string ToString() => $"{File}{(Line is { } l ? $":{l}" : "")}: {JsonPath}: {Message}";
}

/// <summary>The configuration cannot be used. Carries every problem found, not just the first.</summary>
public sealed class ConfigurationException(IReadOnlyList<ConfigurationError> errors)
    : Exception($"{errors.Count} configuration error(s):{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<ConfigurationError> Errors { get; } = errors;
}
