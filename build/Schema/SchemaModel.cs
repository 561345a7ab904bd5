namespace Build.Schema;

/// <summary>A database's schema: "kind qualified.name" to a normalised definition.</summary>
public sealed record SchemaModel(IReadOnlyDictionary<string, string> Objects)
{
    public int Count => Objects.Count;
}
