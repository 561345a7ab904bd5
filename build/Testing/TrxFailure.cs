using System.Xml.Linq;

namespace Build.Testing;

/// <summary>
/// One test that did not pass, read from a .trx file: its full name (class and test), its outcome, its error message
/// and the stack frames that point into this repository's code. The Test target and .ci/run list these just before
/// their final count, so that the tail of a CI log names what failed (the console lists thousands of passes).
/// </summary>
public sealed record TrxFailure(string FullName, string Outcome, string Message, IReadOnlyList<string> StackTrace)
{
    /// <summary>The message lines shown; the rest is counted, not printed.</summary>
    public const int MessageLines = 15;

    /// <summary>A longer line (a whole response body on one line) is cut here.</summary>
    public const int LineLength = 300;

    /// <summary>The failed results of one .trx file, in the order the file lists them.</summary>
    public static IReadOnlyList<TrxFailure> Read(string path)
    {
        var doc = XDocument.Load(path);
        // testId -> "Namespace.Class": the result itself carries only the test's own name.
        var classes = doc.Descendants().Where(e => e.Name.LocalName == "UnitTest")
            .Select(e => (
                Id: e.Attribute("id")?.Value,
                Class: e.Elements().FirstOrDefault(m => m.Name.LocalName == "TestMethod")?.Attribute("className")?.Value))
            .Where(t => t.Id is not null && t.Class is not null)
            .GroupBy(t => t.Id!).ToDictionary(g => g.Key, g => g.First().Class!);
        var results = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "Results");
        if (results is null) return [];
        return results.Elements().Where(e => e.Name.LocalName == "UnitTestResult")
            .Select(e => (Result: e, Outcome: e.Attribute("outcome")?.Value ?? ""))
            .Where(r => !TrxSummary.IsPassed(r.Outcome) && !TrxSummary.IsSkipped(r.Outcome))
            .Select(r =>
            {
                var name = r.Result.Attribute("testName")?.Value ?? "(a test without a name)";
                var fullName = r.Result.Attribute("testId")?.Value is { } id && classes.TryGetValue(id, out var className)
                    ? $"{className}.{name}"
                    : name;
                var error = r.Result.Descendants().FirstOrDefault(d => d.Name.LocalName == "ErrorInfo");
                var message = error?.Elements().FirstOrDefault(d => d.Name.LocalName == "Message")?.Value ?? "";
                var stack = error?.Elements().FirstOrDefault(d => d.Name.LocalName == "StackTrace")?.Value ?? "";
                return new TrxFailure(fullName, r.Outcome, message, SplitLines(stack));
            })
            .ToList();
    }

    /// <summary>The first frame in this repository's code (namespace Build, which holds Build.Tests too): where the
    /// failure was raised, or the test line that asserted. Null when no frame is ours (a crash in the
    /// runner).</summary>
    public string? FirstOwnFrame =>
        StackTrace.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("at Build.", StringComparison.Ordinal));

    /// <summary>The lines printed for this failure: name and outcome, the message (at most <see cref="MessageLines"/>
    /// lines, each at most <see cref="LineLength"/> characters) and the first frame of ours.</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"{(Outcome.Length == 0 ? "(no outcome)" : Outcome)}: {FullName}";
        var lines = SplitLines(Message);
        if (lines.Count == 0) yield return "    (no error message)";
        foreach (var line in lines.Take(MessageLines)) yield return "    " + Cut(line);
        if (lines.Count > MessageLines)
            yield return $"    ... ({lines.Count - MessageLines} more lines in the .trx file)";
        if (FirstOwnFrame is { } frame) yield return "    " + Cut(frame);
    }

    /// <summary>"Failed tests (N):" and each failure's lines; nothing when all passed.</summary>
    public static IEnumerable<string> Listing(IReadOnlyList<TrxFailure> failures) =>
        failures.Count == 0 ? [] : failures.SelectMany(f => f.Describe()).Prepend($"Failed tests ({failures.Count}):");

    private static string Cut(string line) => line.Length <= LineLength ? line : line[..LineLength] + " [...]";

    /// <summary>The text's lines, each without trailing blanks, without the empty lines at either end.</summary>
    private static List<string> SplitLines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').Select(l => l.TrimEnd()).ToList();
        var first = lines.FindIndex(l => l.Length > 0);
        return first < 0 ? [] : lines.GetRange(first, lines.FindLastIndex(l => l.Length > 0) - first + 1);
    }
}
