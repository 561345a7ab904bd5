using System.Text;

namespace Build.Migrations.Database;

public sealed record MigrationPlan(IReadOnlyList<MigrationBatch> Batches)
{
    public IEnumerable<MigrationFile> Files => Batches.SelectMany(b => b.Files);
    public int FileCount => Batches.Sum(b => b.Files.Count);
    public bool IsSingleTransaction => Batches.Count == 1 && Batches[0].Transactional;

    /// <summary>Pending files in version order; files the detector flags run alone, the rest group into
    /// transactions.</summary>
    /// <param name="detected">The detector's findings for exactly these files, when already computed.</param>
    public static MigrationPlan For(
        IReadOnlyList<MigrationFile> pending,
        IReadOnlyList<NonTransactionalFile>? detected = null
    )
    {
        var ordered = Ordered(pending);
        var alone = (detected ?? NonTransactionalDetector.DetectInBatch(ordered)).ToDictionary(
            n => n.File.FileName,
            StringComparer.Ordinal
        );
        var batches = new List<MigrationBatch>();
        var current = new List<MigrationFile>();
        void Flush()
        {
            if (current.Count == 0) return;
            batches.Add(new MigrationBatch(batches.Count + 1, current, true, null));
            current = [];
        }
        foreach (var file in ordered)
        {
            if (alone.TryGetValue(file.FileName, out var why))
            {
                Flush();
                batches.Add(new MigrationBatch(batches.Count + 1, [file], false, why.Reason));
            }
            else current.Add(file);
        }
        Flush();
        return new MigrationPlan(batches);
    }

    public static List<MigrationFile> Ordered(IEnumerable<MigrationFile> files) =>
        files.OrderBy(f => f.Version, StringComparer.Ordinal).ThenBy(f => f.FileName, StringComparer.Ordinal).ToList();

    /// <summary>What will happen, printed before anything runs.</summary>
    public string Describe()
    {
        if (FileCount == 0)
            return "No pending migrations.";
        if (IsSingleTransaction)
            return $"{FileCount} pending migration(s), applied in one transaction (all or nothing).";
        var text = new StringBuilder(
            $"{FileCount} pending migration(s) in {Batches.Count} steps; the batch is split because some files " +
            "cannot run in a transaction:\n"
        );
        foreach (var b in Batches)
            text.AppendLine(
                b.Transactional
                    ? $"  {b.Number}. one transaction: {b.Files.Count} file(s) {b.Files[0].FileName}" +
                        $"{(b.Files.Count > 1 ? $" .. {b.Files[^1].FileName}" : "")}"
                    : $"  {b.Number}. on its own, outside a transaction: {b.Files[0].FileName}: {b.Reason}"
            );
        text.Append("A failure rolls back only its own step; earlier steps stay applied.");
        return text.ToString();
    }
}
