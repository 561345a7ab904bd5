using System.Globalization;

namespace Build.Deploy;

/// <summary>
/// Where a remote phase's time went: each mark starts a span that ends at the next mark. <c>connect</c> is the SSH
/// connection and its channel (only for the phase that opened them), <c>shell</c> the wait until the script's first
/// step announced itself (the login shell's start, its .bashrc included, then sending and parsing the script), then one
/// span per step (a step's span includes an upload streamed to it; the last one, the end of the script).
/// </summary>
internal sealed class PhaseTimings
{
    private readonly List<(string Name, TimeSpan At)> _marks = [];

    /// <summary>Starts the span <paramref name="name"/> at <paramref name="at"/> since the phase began; "" ends the last.</summary>
    public void Mark(string name, TimeSpan at)
    {
        lock (_marks) _marks.Add((name, at));
    }

    /// <summary>"3.42 s (connect 0.80, shell 0.05, lock 0.01, ...)": the total, then each span of 10 ms or more.</summary>
    public string Describe()
    {
        List<(string Name, TimeSpan At)> marks;
        lock (_marks) marks = [.. _marks];
        if (marks.Count == 0) return "0.00 s";
        var spans = marks.Zip(marks.Skip(1), (a, b) => (a.Name, Length: b.At - a.At))
            .Where(s => s.Name.Length > 0 && s.Length >= TimeSpan.FromMilliseconds(10))
            .Select(s => $"{s.Name} {Seconds(s.Length)}");
        var total = marks[^1].At - marks[0].At;
        var detail = string.Join(", ", spans);
        return detail.Length > 0 ? $"{Seconds(total)} s ({detail})" : $"{Seconds(total)} s";
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
}
