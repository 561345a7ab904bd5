namespace Build.Data;

/// <summary>One table CopyData copies: its columns (generated ones left to the target), anonymised columns, and estimate.</summary>
public sealed record CopyTable(string Schema, string Name, IReadOnlyList<CopyColumn> Columns, long EstimatedRows, bool HasPrimaryKey)
{
    public string QualifiedName => $"{Schema}.{Name}";
    public string Sql => $"{Quote(Schema)}.{Quote(Name)}";
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}

/// <summary>A column copied, with its type and the anonymisation rule that rewrites it (null: copied as is).</summary>
public sealed record CopyColumn(string Name, string Type, string? Rule);

/// <summary>A foreign key, and whether it closes a cycle (it is then dropped for the load and re-added, which re-checks it).</summary>
public sealed record CopyForeignKey(string Table, string Name, string ReferencedTable, string Definition, bool ClosesCycle);

/// <summary>The tables in load order (every referenced table before the tables that reference it), and the keys.</summary>
public sealed record CopyPlan(IReadOnlyList<CopyTable> Tables, IReadOnlyList<CopyForeignKey> ForeignKeys)
{
    public IEnumerable<CopyForeignKey> CycleKeys => ForeignKeys.Where(k => k.ClosesCycle);
}
