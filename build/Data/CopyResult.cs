using System.Diagnostics;
using Build.Configuration;
using Npgsql;

namespace Build.Data;

/// <summary>What CopyData copied: rows per table (verified on the target), in load order, and how long it
/// took.</summary>
public sealed record CopyResult(
    IReadOnlyList<(string Table, long Rows)> Tables,
    IReadOnlyList<string> Sequences,
    TimeSpan Duration
)
{
    public long Rows => Tables.Sum(t => t.Rows);
}
