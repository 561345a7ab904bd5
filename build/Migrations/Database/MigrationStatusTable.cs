using System.Text;
using Npgsql;

namespace Build.Migrations.Database;

/// <summary>Every version (local or applied anywhere) against every environment, side by side.</summary>
public sealed class MigrationStatusTable
{
    private MigrationStatusTable(
        IReadOnlyList<string> environments,
        IReadOnlyList<(string Version, string Name, IReadOnlyList<string> Cells)> rows,
        IReadOnlyList<string> notes
    )
    {
        Environments = environments;
        Rows = rows;
        Notes = notes;
    }

    public IReadOnlyList<string> Environments { get; }
    public IReadOnlyList<(string Version, string Name, IReadOnlyList<string> Cells)> Rows { get; }
    /// <summary>One line per environment that could not be read, with the reason.</summary>
    public IReadOnlyList<string> Notes { get; }

    public static MigrationStatusTable Build(
        IReadOnlyList<MigrationFile> files,
        IReadOnlyList<EnvironmentHistory> environments
    )
    {
        var perEnvironment = environments
            .Select(e =>
                e.History is null
                    ? null
                    : MigrationHistoryCheck
                        .States(files, e.History)
                        .ToDictionary(s => s.Version, StringComparer.Ordinal)
            )
            .ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in files)
            names.TryAdd(f.Version, f.Name);
        foreach (var h in environments.Where(e => e.History is not null).SelectMany(e => e.History!))
            names.TryAdd(h.Version, h.Name ?? "");

        var rows = names
            .Keys.Order(StringComparer.Ordinal)
            .Select(version =>
            {
                var cells = environments
                    .Select(
                        (e, i) =>
                            perEnvironment[i] is not { } states ? e.UnavailableLabel
                            // Absent from both this environment and the local files: applied elsewhere only.
                            : states.TryGetValue(version, out var s) ? Label(s.State)
                            : "-"
                    )
                    .ToList();
                return (version, names[version], (IReadOnlyList<string>)cells);
            })
            .ToList();
        var notes = environments
            .Where(e => e.Unavailable is not null)
            .Select(e => $"{e.Environment}: {e.Unavailable}")
            .ToList();
        return new MigrationStatusTable(environments.Select(e => e.Environment).ToList(), rows, notes);
    }

    public static string Label(MigrationState state) => state switch
    {
        MigrationState.Applied => "applied",
        MigrationState.Pending => "pending",
        MigrationState.MissingLocally => "missing locally",
        MigrationState.Changed => "changed",
        _ => state.ToString(),
    };

    public string ToText()
    {
        List<string> header = ["version", "name", .. Environments];
        var lines = Rows.Select(r => new[] { r.Version, r.Name }.Concat(r.Cells).ToList()).ToList();
        var widths = header
            .Select((h, i) => Math.Max(h.Length, lines.Select(l => l[i].Length).DefaultIfEmpty(0).Max()))
            .ToList();
        string Row(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        var text = new StringBuilder()
            .AppendLine(Row(header))
            .AppendLine(Row(widths.Select(w => new string('-', w)).ToList()));
        foreach (var l in lines)
            text.AppendLine(Row(l));
        if (Rows.Count == 0)
            text.AppendLine("(no migrations locally or in any environment)");
        foreach (var n in Notes)
            text.AppendLine(n);
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder("### Migration status\n\n");
        md.AppendLine("| version | name | " + string.Join(" | ", Environments) + " |");
        md.AppendLine("|---|---|" + string.Concat(Environments.Select(_ => "---|")));
        foreach (var r in Rows) md.AppendLine($"| `{r.Version}` | {r.Name} | {string.Join(" | ", r.Cells)} |");
        foreach (var n in Notes) md.AppendLine($"\n- {n.Replace("|", "\\|")}");
        return md.ToString();
    }
}
