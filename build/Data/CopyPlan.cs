namespace Build.Data;

/// <summary>The tables in load order (every referenced table before the tables that reference it), and the
/// keys.</summary>
public sealed record CopyPlan(IReadOnlyList<CopyTable> Tables, IReadOnlyList<CopyForeignKey> ForeignKeys)
{
    public IEnumerable<CopyForeignKey> CycleKeys => ForeignKeys.Where(k => k.ClosesCycle);
}
