namespace Build.Data;

/// <summary>A column copied, with its type and the anonymisation rule that rewrites it (null: copied as is).</summary>
public sealed record CopyColumn(string Name, string Type, string? Rule);
