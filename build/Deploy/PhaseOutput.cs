namespace Build.Deploy;

/// <summary>The <c>::out key=value</c> lines a phase printed.</summary>
public sealed class PhaseOutput(IReadOnlyDictionary<string, string> values)
{
    public string? this[string key] => values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
    public IReadOnlyList<string> List(string key) => this[key]?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
}
