namespace Build.Configuration;

/// <summary>One problem in the configuration file: where (JSON path and, when known, line) and what is
/// expected.</summary>
public sealed record ConfigurationError(string File, string JsonPath, string Message, int? Line = null)
{
    public override string ToString() => $"{File}{(Line is { } l ? $":{l}" : "")}: {JsonPath}: {Message}";
}
