namespace Build.Configuration;

/// <summary>The configuration cannot be used. Carries every problem found, not just the first.</summary>
public sealed class ConfigurationException(IReadOnlyList<ConfigurationError> errors)
    : Exception(
        $"{errors.Count} configuration error(s):{Environment.NewLine}"
            + string.Join(Environment.NewLine, errors.Select(e => "  " + e))
    )
{
    public IReadOnlyList<ConfigurationError> Errors { get; } = errors;
}
