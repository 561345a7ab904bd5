namespace Build.Deploy;

/// <summary>
/// The <c>::out key=value</c> lines a phase printed. Only keys a step of the phase declares in
/// <see cref="Steps.IRemoteStep.Reports"/> can be read: asking for another is a mistake in the phase (a step left
/// out), not "no value", and fails naming the phase and the key.
/// </summary>
public sealed class PhaseOutput(string phase, IReadOnlyDictionary<string, string> values, IReadOnlySet<string> reported)
{
    public string? this[string key] =>
        !reported.Contains(key)
            ? throw new InvalidOperationException(
                $"Phase '{phase}' has no step that reports '{key}' (its steps report: " +
                $"{(reported.Count == 0 ? "nothing" : string.Join(", ", reported.Order()))})."
            )
        : values.TryGetValue(key, out var v) && v.Length > 0 ? v
        : null;

    public IReadOnlyList<string> List(string key) => this[key]?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
}
