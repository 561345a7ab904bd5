namespace Build.Schema;

/// <summary>Compares two schema models and prints the differences readably.</summary>
public static class SchemaDrift
{
    public static IReadOnlyList<SchemaDifference> Compare(SchemaModel expected, SchemaModel actual)
    {
        var differences = new List<SchemaDifference>();
        foreach (var key in expected.Objects.Keys.Union(actual.Objects.Keys).Order(StringComparer.Ordinal))
        {
            var want = expected.Objects.GetValueOrDefault(key);
            var got = actual.Objects.GetValueOrDefault(key);
            if (want != got) differences.Add(new SchemaDifference(key, want, got));
        }
        return differences;
    }

    /// <summary>
    /// One block per difference: the object, then expected and actual. Long definitions (function bodies, views) are
    /// cut to a window around the first character that differs, so the change is on screen.
    /// </summary>
    public static string Format(SchemaDifference difference, int width = 160)
    {
        var (expected, actual) = (difference.Expected ?? "(absent)", difference.Actual ?? "(absent)");
        if (
            difference is { Expected: not null, Actual: not null }
            && (expected.Length > width || actual.Length > width)
        )
        {
            var at = 0;
            while (at < expected.Length && at < actual.Length && expected[at] == actual[at]) at++;
            var start = Math.Max(0, at - width / 3);
            expected = Window(expected, start, width);
            actual = Window(actual, start, width);
        }
        else
        {
            expected = Window(expected, 0, width * 2);
            actual = Window(actual, 0, width * 2);
        }
        return $"{difference.Kind,-7} {difference.Object}\n  expected: {expected}\n  actual:   {actual}";
    }

    private static string Window(string text, int start, int width)
    {
        text = text.ReplaceLineEndings(" ");
        if (start >= text.Length) return "…";
        var end = Math.Min(text.Length, start + width);
        return (start > 0 ? "…" : "") + text[start..end] + (end < text.Length ? "…" : "");
    }
}
