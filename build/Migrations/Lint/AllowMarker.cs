using System.Text.RegularExpressions;
using Build.Migrations.Sql;

namespace Build.Migrations.Lint;

/// <summary>
/// <c>-- lint:allow drop-column reason: the column was unused since release 41</c> (or the same in a /* */ comment),
/// anywhere in a file: findings of those rules in that file are allowed. Several ids may be given, comma-separated.
/// </summary>
public sealed partial record AllowMarker(IReadOnlyList<string> RuleIds, string? Reason, int Line, int Column)
{
    [GeneratedRegex(
        @"^\s*lint:allow\b\s*(?<rules>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)?\s*"
            + @"(?:reason\s*:\s*(?<reason>.*?))?\s*$",
        RegexOptions.Singleline
    )]
    private static partial Regex Pattern();

    public bool HasReason => !string.IsNullOrWhiteSpace(Reason);

    public static IReadOnlyList<AllowMarker> FindIn(SqlScript script)
    {
        var markers = new List<AllowMarker>();
        foreach (var comment in script.Comments)
        {
            var body =
                comment.Kind == SqlTokenKind.LineComment
                    ? comment.Text[2..]
                    : comment.Text[
                        2..(comment.Text.EndsWith("*/", StringComparison.Ordinal) && comment.Text.Length >= 4 ? ^2 : ^0)
                    ];
            var match = Pattern().Match(body);
            if (!match.Success) continue;
            var ids = match.Groups["rules"].Success
                ? match
                    .Groups["rules"]
                    .Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            var reason = match.Groups["reason"].Success ? match.Groups["reason"].Value.Trim() : null;
            markers.Add(
                new AllowMarker(ids, string.IsNullOrEmpty(reason) ? null : reason, comment.Line, comment.Column)
            );
        }
        return markers;
    }
}
