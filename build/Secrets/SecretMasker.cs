namespace Build.Secrets;

/// <summary>Replaces every known secret value with <c>***</c>. Thread-safe; longest values first so that a
/// value containing another is masked whole.</summary>
public sealed class SecretMasker
{
    public const string Mask = "***";
    // Short values (a port, "true") would mask ordinary text and protect nothing.
    private const int MinimumLength = 4;
    private readonly object _gate = new();
    private string[] _values = [];

    public event Action<string>? ValueAdded;

    public IReadOnlyList<string> Values { get { lock (_gate) return _values; } }

    public void Add(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < MinimumLength) return;
        var added = new List<string>();
        lock (_gate)
        {
            var set = new HashSet<string>(_values, StringComparer.Ordinal);
            foreach (var candidate in Variants(value))
                if (candidate.Length >= MinimumLength && set.Add(candidate)) added.Add(candidate);
            if (added.Count == 0) return;
            _values = set.OrderByDescending(v => v.Length).ToArray();
        }
        foreach (var v in added) ValueAdded?.Invoke(v);
    }

    public string Apply(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var values = Values;
        foreach (var value in values)
            if (text.Contains(value, StringComparison.Ordinal))
                text = text.Replace(value, Mask, StringComparison.Ordinal);
        return text;
    }

    /// <summary>A secret can reach output in other shapes: each line of a multi-line key, the password inside a URL,
    /// or URL-encoded.</summary>
    private static IEnumerable<string> Variants(string value)
    {
        yield return value;
        var trimmed = value.Trim();
        yield return trimmed;
        if (trimmed.Contains('\n'))
            foreach (var line in trimmed.Split('\n'))
            {
                var l = line.Trim();
                // PEM armour lines are not secret; their bodies are.
                if (!l.StartsWith("-----", StringComparison.Ordinal)) yield return l;
            }
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            if (parts.Length == 2)
            {
                yield return parts[1];
                yield return Uri.UnescapeDataString(parts[1]);
            }
        }
        yield return Uri.EscapeDataString(trimmed);
    }
}
