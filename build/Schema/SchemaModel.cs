namespace Build.Schema;

/// <summary>A database's schema: "kind qualified.name" to a normalised definition.</summary>
public sealed record SchemaModel(IReadOnlyDictionary<string, string> Objects)
{
    public int Count => Objects.Count;
}

/// <summary>One object that differs: its definition where it was expected, and where it was found (null: absent).</summary>
public sealed record SchemaDifference(string Object, string? Expected, string? Actual)
{
    public string Kind => Expected is null ? "extra" : Actual is null ? "missing" : "changed";
}
