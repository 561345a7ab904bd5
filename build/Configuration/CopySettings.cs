namespace Build.Configuration;

/// <summary><c>project.data.copy</c>.</summary>
public sealed class CopySettings
{
    public List<string> Schemas { get; set; } = ["public"];
    /// <summary>schema.table names copied besides the schemas' tables (e.g. auth.users, which profiles
    /// reference).</summary>
    public List<string> Tables { get; set; } = [];
    /// <summary>schema.table names left alone.</summary>
    public List<string> ExcludeTables { get; set; } = [];
    /// <summary>schema.table.column to a rule: email, hash, null, fixed:&lt;value&gt;.</summary>
    public Dictionary<string, string> Anonymize { get; set; } = new(StringComparer.Ordinal);
}
