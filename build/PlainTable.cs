namespace Build;

/// <summary>Rows as a plain text table for logs (which have no terminal): the first row is the header, underlined
/// with dashes; columns are padded to their widest cell and the last column is left unpadded.</summary>
public static class PlainTable
{
    public static string Render(IReadOnlyList<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        string Line(string[] r) =>
            "  "
            + string.Join("  ", r.Select((cell, i) => i == r.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd();
        return string.Join(
            "\n",
            rows.Take(1)
                .Select(Line)
                .Append("  " + string.Join("  ", widths.Select(w => new string('-', w))))
                .Concat(rows.Skip(1).Select(Line))
        );
    }
}
