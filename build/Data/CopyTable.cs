namespace Build.Data;

/// <summary>One table CopyData copies: its columns (generated ones left to the target), anonymised columns, and
/// estimate.</summary>
public sealed record CopyTable(
    string Schema,
    string Name,
    IReadOnlyList<CopyColumn> Columns,
    long EstimatedRows,
    bool HasPrimaryKey
)
{
    public string QualifiedName => $"{Schema}.{Name}";
    public string Sql => $"{Quote(Schema)}.{Quote(Name)}";
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
