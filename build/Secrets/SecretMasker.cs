using System.Text.RegularExpressions;

namespace Build.Secrets;

/// <summary>
/// Replaces every known secret value with <c>***</c>, longest values first so that a value containing another is
/// masked whole, and the password of any <c>scheme://user:password@</c> URL (known or not: a <c>--url=</c> typed on
/// the command line is not a registered secret). Thread-safe.
/// Only values that are secret are registered (<see cref="SecretNames.IsSensitive"/>): masking a user name such as
/// "deploy" would make every message that mentions a deploy unreadable.
/// </summary>
public sealed partial class SecretMasker
{
    public const string Mask = "***";
    /// <summary>Shorter values (a port, "true") would mask ordinary text and protect nothing; Validate refuses a
    /// secret this short.</summary>
    public const int MinimumLength = 4;
    private readonly object _gate = new();
    private string[] _values = [];

    // scheme://user:password@ : the user stays readable, the password goes. A password holding '/', '?', '#' or '@'
    // unencoded is not a valid URL; database URLs like that are refused before use, and registered secrets are masked anyway.
    [GeneratedRegex(@"(?<prefix>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/?#@'""<>]*:)(?<password>[^\s/?#@'""<>]+)@")]
    private static partial Regex UrlCredentials();

    // False only in tests (Program.RunAsync's maskOutput): they prove a masking test's secret would be shown.
    private readonly bool _enabled = true;

    public SecretMasker() { }

    /// <param name="enabled">False: values are still registered (and announced), but <see cref="Apply"/> changes nothing.</param>
    internal SecretMasker(bool enabled) => _enabled = enabled;

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
            _values = set.OrderByDescending(v => v.Length).ThenBy(v => v, StringComparer.Ordinal).ToArray();
        }
        foreach (var v in added) ValueAdded?.Invoke(v);
    }

    public string Apply(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (!_enabled) return text;
        var values = Values;
        foreach (var value in values)
            if (text.Contains(value, StringComparison.Ordinal))
                text = text.Replace(value, Mask, StringComparison.Ordinal);
        if (text.Contains("://", StringComparison.Ordinal))
            text = UrlCredentials().Replace(text, "${prefix}" + Mask + "@");
        return text;
    }

    /// <summary>A secret can reach output in other shapes: each line of a multi-line key, the password inside a URL
    /// (as written, decoded and encoded), or the whole value URL-encoded.</summary>
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
        if (UrlPassword(trimmed) is { } password)
        {
            yield return password;
            // Uri.UnescapeDataString leaves a broken escape (%zz, a bad UTF-8 sequence) as written; it does not throw.
            var decoded = Uri.UnescapeDataString(password);
            yield return decoded;
            foreach (var encoded in Encodings(decoded)) yield return encoded;
        }
        foreach (var encoded in Encodings(trimmed)) yield return encoded;
    }

    /// <summary>The password of scheme://user:password@host, read the way a person wrote it: up to the LAST '@', so
    /// that a password with an unencoded '/' or '@' is still found whole (a URI parser would cut it into host and path).</summary>
    private static string? UrlPassword(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0 || url[..schemeEnd].Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('+' or '.' or '-'))) return null;
        var rest = url[(schemeEnd + 3)..];
        var at = rest.LastIndexOf('@');
        var colon = rest.IndexOf(':');
        // No '@' (at = -1) or a ':' only after it (a port): no password.
        return colon >= 0 && colon < at ? rest[(colon + 1)..at] : null;
    }

    /// <summary>Percent-encoded forms, with upper- and lower-case hex digits (both are valid and both occur).</summary>
    private static IEnumerable<string> Encodings(string value)
    {
        var upper = Uri.EscapeDataString(value);
        yield return upper;
        yield return Regex.Replace(upper, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant());
    }
}
