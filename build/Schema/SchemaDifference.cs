namespace Build.Schema;

/// <summary>One object that differs: its definition where it was expected, and where it was found (null:
/// absent).</summary>
public sealed record SchemaDifference(string Object, string? Expected, string? Actual)
{
    public string Kind => Expected is null ? "extra" : Actual is null ? "missing" : "changed";
}
