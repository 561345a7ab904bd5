namespace Build;

/// <summary>--env names no environment of the configuration; the message lists the valid ones.</summary>
public sealed class UnknownEnvironmentException(string name, IEnumerable<string> valid)
    : Exception($"Unknown environment '{name}'. Valid environments: {string.Join(", ", valid)}.");
