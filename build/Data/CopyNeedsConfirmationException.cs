using System.Diagnostics;
using Build.Configuration;
using Npgsql;

namespace Build.Data;

/// <summary>The target already holds rows: replacing them needs the target's name typed.</summary>
public sealed class CopyNeedsConfirmationException(IReadOnlyList<(string Table, long Rows)> nonEmpty)
    : CopyRefusedException(
        "the target already holds data (" +
        $"{string.Join(", ", nonEmpty.Take(5).Select(t => $"{t.Table}: {t.Rows} row(s)"))}" +
        $"{(nonEmpty.Count > 5 ? ", …" : "")})"
    )
{
    public IReadOnlyList<(string Table, long Rows)> NonEmpty { get; } = nonEmpty;
}
