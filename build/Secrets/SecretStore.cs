namespace Build.Secrets;

/// <summary>
/// The secrets of one environment. It reads only that environment's prefixed variables, the
/// unprefixed VPS_* fallbacks and the global ones: a run for staging never sees PROD_*.
/// Every sensitive value (<see cref="SecretNames.IsSensitive"/>) is registered with the <see cref="SecretMasker"/>
/// before anything could print it.
/// </summary>
public sealed class SecretStore
{
    private readonly Func<string, string?> _lookup;
    private readonly SecretMasker _masker;

    public SecretStore(string prefix, Func<string, string?> lookup, SecretMasker masker)
    {
        Prefix = prefix;
        _lookup = lookup;
        _masker = masker;
        // Register every value up front, so a value is masked even in output printed before a task asks for it.
        foreach (var name in Enum.GetValues<SecretName>().Where(SecretNames.IsSensitive))
            foreach (var variable in SecretNames.VariablesFor(name, prefix))
                if (Read(variable) is { } value) _masker.Add(value);
    }

    public string Prefix { get; }

    public IReadOnlyList<string> VariablesFor(SecretName name) => SecretNames.VariablesFor(name, Prefix);

    /// <summary>The value, or null when none of its variables is set (or set to blank).</summary>
    public string? Get(SecretName name) => Resolve(name)?.Value;

    /// <summary>The variable the value was read from (for messages), or null when unset.</summary>
    public string? SourceOf(SecretName name) => Resolve(name)?.Variable;

    public string Require(SecretName name) =>
        Get(name) ?? throw new MissingSecretException(name, VariablesFor(name));

    public bool Has(SecretName name) => Get(name) is not null;

    private (string Variable, string Value)? Resolve(SecretName name)
    {
        foreach (var variable in VariablesFor(name))
            if (Read(variable) is { } value) return (variable, value);
        return null;
    }

    private string? Read(string variable)
    {
        var value = _lookup(variable);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
