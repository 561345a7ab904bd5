using System.Globalization;
using Build.Migrations.Sql;

namespace Build.Migrations.Database;

/// <summary>A small line diff (longest common subsequence) in unified style, for the changed-file message.</summary>
public static class UnifiedDiff
{
    public static string Create(string before, string after, string beforeLabel, string afterLabel, int context = 2)
    {
        var a = before.Replace("\r\n", "\n").Split('\n');
        var b = after.Replace("\r\n", "\n").Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        for (var j = b.Length - 1; j >= 0; j--)
            lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var lines = new List<(char Kind, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { lines.Add((' ', a[x])); x++; y++; }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) lines.Add(('-', a[x++]));
            else lines.Add(('+', b[y++]));
        }

        var output = new List<string> { $"--- {beforeLabel}", $"+++ {afterLabel}" };
        var lastShown = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            var near = Enumerable
                .Range(Math.Max(0, i - context), Math.Min(lines.Count, i + context + 1) - Math.Max(0, i - context))
                .Any(k => lines[k].Kind != ' ');
            if (!near)
                continue;
            if (lastShown >= 0 && i > lastShown + 1)
                output.Add("@@");
            output.Add(lines[i].Kind + lines[i].Text);
            lastShown = i;
        }
        return string.Join('\n', output);
    }
}
