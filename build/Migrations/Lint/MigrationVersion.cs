namespace Build.Migrations.Lint;

/// <summary>Migration versions compare as numbers (the CLI's 14-digit timestamps compare the same either
/// way).</summary>
public static class MigrationVersion
{
    public static int Compare(string a, string b)
    {
        var x = a.TrimStart('0');
        var y = b.TrimStart('0');
        return x.Length != y.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(x, y);
    }
}
