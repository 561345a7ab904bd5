using System.Xml.Linq;

namespace Build.Testing;

/// <summary>The counts of a Visual Studio test results (.trx) file.</summary>
public sealed record TrxSummary(int Total, int Passed, int Failed, int Skipped)
{
    public override string ToString() => $"{Passed} passed, {Failed} failed, {Skipped} skipped";

    public static TrxSummary Read(string path)
    {
        var doc = XDocument.Load(path);
        var counters = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters")
            ?? throw new InvalidDataException($"{path}: no <Counters> element; is this a .trx file?");
        int Count(string name) => int.TryParse(counters.Attribute(name)?.Value, out var n) ? n : 0;
        var failed = Count("failed") + Count("error") + Count("timeout") + Count("aborted");
        return new TrxSummary(Count("total"), Count("passed"), failed, Count("notExecuted") + Count("inconclusive"));
    }

    /// <summary>Adds up several result files (one per test project).</summary>
    public static TrxSummary Sum(IEnumerable<TrxSummary> parts) =>
        parts.Aggregate(new TrxSummary(0, 0, 0, 0), (a, b) => new TrxSummary(a.Total + b.Total, a.Passed + b.Passed, a.Failed + b.Failed, a.Skipped + b.Skipped));
}
