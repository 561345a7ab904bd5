using System.Xml.Linq;

namespace Build.Testing;

/// <summary>
/// The counts of a Visual Studio test results (.trx) file, read from the outcome of each result. The file's own
/// <c>&lt;Counters&gt;</c> are not trusted: the NUnit adapter writes <c>notExecuted="0"</c> while results are
/// <c>NotExecuted</c> (ignored tests), which turned skips into nothing at all.
/// </summary>
public sealed record TrxSummary(int Total, int Passed, int Failed, int Skipped)
{
    public override string ToString() => $"{Passed} passed, {Failed} failed, {Skipped} skipped";

    public static TrxSummary Read(string path)
    {
        var doc = XDocument.Load(path);
        var results = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "Results");
        if (results is null)
        {
            // A run that ran nothing has no <Results>; anything without <TestRun> is not a results file.
            if (doc.Root?.Name.LocalName != "TestRun")
                throw new InvalidDataException($"{path}: no <TestRun> element; is this a .trx file?");
            return new TrxSummary(0, 0, 0, 0);
        }
        // Only the direct children: a data-driven parent's <InnerResults> are parts of one result.
        var outcomes = results
            .Elements()
            .Where(e => e.Name.LocalName == "UnitTestResult")
            .Select(e => e.Attribute("outcome")?.Value ?? "")
            .ToList();
        var passed = outcomes.Count(IsPassed);
        var skipped = outcomes.Count(IsSkipped);
        return new TrxSummary(outcomes.Count, passed, outcomes.Count - passed - skipped, skipped);
    }

    /// <summary>An ignored, explicit or inconclusive test did not run: skipped.</summary>
    public static bool IsSkipped(string outcome) =>
        outcome is "NotExecuted" or "Inconclusive" or "NotRunnable" or "Pending";

    /// <summary>Every other outcome (Failed, Error, Timeout, Aborted, one this code does not know) is a
    /// failure.</summary>
    public static bool IsPassed(string outcome) => outcome is "Passed";

    /// <summary>Adds up several result files (one per test project).</summary>
    public static TrxSummary Sum(IEnumerable<TrxSummary> parts) =>
        parts.Aggregate(
            new TrxSummary(0, 0, 0, 0),
            (a, b) => new TrxSummary(a.Total + b.Total, a.Passed + b.Passed, a.Failed + b.Failed, a.Skipped + b.Skipped)
        );
}
