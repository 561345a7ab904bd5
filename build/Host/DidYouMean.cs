namespace Build.Host;

/// <summary>The closest known name to a mistyped one (edit distance), for "Did you mean --dryrun?".</summary>
public static class DidYouMean
{
    public static string? Closest(string typed, IEnumerable<string> known)
    {
        var best = known.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(name => (name, distance: Distance(typed.ToLowerInvariant(), name.ToLowerInvariant())))
            .OrderBy(p => p.distance).ThenBy(p => p.name, StringComparer.Ordinal).FirstOrDefault();
        // Close enough to be a typo: a third of the word, at least two edits.
        return best.name is not null && best.distance <= Math.Max(2, typed.Length / 3) ? best.name : null;
    }

    /// <summary>Damerau-Levenshtein (optimal string alignment): a swap of two letters counts as one edit.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
