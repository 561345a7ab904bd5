namespace Build.Data;

/// <summary>A foreign key, and whether it closes a cycle (it is then dropped for the load and re-added, which re-checks
/// it).</summary>
public sealed record CopyForeignKey(
    string Table,
    string Name,
    string ReferencedTable,
    string Definition,
    bool ClosesCycle
);
