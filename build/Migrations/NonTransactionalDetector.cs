using System.Text.RegularExpressions;
using Build.Migrations.Sql;

namespace Build.Migrations;

/// <summary>
/// Finds migrations that cannot run inside a transaction block: PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY,
/// REINDEX ... CONCURRENTLY (and REINDEX SCHEMA/DATABASE/SYSTEM), VACUUM, ALTER SYSTEM, CREATE/DROP DATABASE and
/// TABLESPACE, DETACH PARTITION ... CONCURRENTLY there; a first line <c>-- pg-delta: transaction=false</c> asks for
/// it explicitly; and an enum value added with <c>ALTER TYPE ... ADD VALUE</c> cannot be used before the transaction
/// that added it commits, so a file adding a value that is used later in the same batch must commit on its own.
/// Works on lexer tokens, so nothing in comments or string literals counts (except the enum value's use, which is
/// a string literal by nature).
/// </summary>
public static partial class NonTransactionalDetector
{
    [GeneratedRegex(@"^\s*--\s*pg-delta\s*:\s*transaction\s*=\s*false\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex PgDeltaMarker();

    /// <summary>Why this single file cannot run in a transaction, or null. Enum values are checked within the file
    /// only.</summary>
    public static NonTransactionalFile? Detect(MigrationFile file) =>
        DetectInBatch([file]) is [var first, ..] ? first : null;

    /// <summary>
    /// Every file of the pending batch (in apply order) that must run on its own, with the reason. The enum rule looks
    /// at the rest of the batch: a value added in file 2 and used in file 4 makes file 2 non-transactional.
    /// </summary>
    public static IReadOnlyList<NonTransactionalFile> DetectInBatch(IReadOnlyList<MigrationFile> batch)
    {
        var scripts = batch.Select(f => SqlScript.Parse(f.Content)).ToList();
        var results = new List<NonTransactionalFile>();
        for (var i = 0; i < batch.Count; i++)
        {
            var reason =
                FirstLineMarker(batch[i])
                ?? StatementReason(batch[i], scripts[i])
                ?? EnumValueUsedLater(batch, scripts, i);
            if (reason is not null)
                results.Add(reason);
        }
        return results;
    }

    private static NonTransactionalFile? FirstLineMarker(MigrationFile file)
    {
        var firstLine = file.Content.TrimStart('\uFEFF').Split('\n', 2)[0].TrimEnd('\r');
        return PgDeltaMarker().IsMatch(firstLine)
            ? new NonTransactionalFile(
                file,
                "its first line '-- pg-delta: transaction=false' asks to run it outside a transaction",
                1
            )
            : null;
    }

    private static NonTransactionalFile? StatementReason(MigrationFile file, SqlScript script)
    {
        foreach (var statement in script.Statements)
            if (Describe(statement) is { } what)
                return new NonTransactionalFile(
                    file,
                    $"{what} cannot run inside a transaction block (line {statement.Line})",
                    statement.Line
                );
        return null;
    }

    /// <summary>A short description of a statement PostgreSQL refuses inside a transaction block, or null.</summary>
    public static string? Describe(SqlStatement s)
    {
        if (s.StartsWith("vacuum"))
            return "VACUUM";
        if (s.StartsWith("alter", "system"))
            return "ALTER SYSTEM";
        if (s.StartsWith("create", "database") || s.StartsWith("drop", "database"))
            return s.First.Text.ToUpperInvariant() + " DATABASE";
        if (s.StartsWith("create", "tablespace") || s.StartsWith("drop", "tablespace"))
            return s.First.Text.ToUpperInvariant() + " TABLESPACE";
        if (
            s.StartsWith("create", "index", "concurrently") || s.StartsWith("create", "unique", "index", "concurrently")
        )
            return "CREATE INDEX CONCURRENTLY";
        if (s.StartsWith("drop", "index", "concurrently")) return "DROP INDEX CONCURRENTLY";
        if (s.StartsWith("reindex"))
        {
            if (s.Contains("concurrently")) return "REINDEX ... CONCURRENTLY";
            // REINDEX [ ( options ) ] SCHEMA|DATABASE|SYSTEM name
            var kind = s
                .Tokens.Skip(1)
                .SkipWhile(t =>
                    !t.Is("schema") && !t.Is("database") && !t.Is("system") && !t.Is("index") && !t.Is("table")
                )
                .FirstOrDefault();
            if (kind is not null && (kind.Is("schema") || kind.Is("database") || kind.Is("system")))
                return "REINDEX " + kind.Text.ToUpperInvariant();
        }
        if (s.StartsWith("alter", "table") && s.Contains("detach") && s.Contains("concurrently"))
            return "DETACH PARTITION ... CONCURRENTLY";
        return null;
    }

    private static NonTransactionalFile? EnumValueUsedLater(
        IReadOnlyList<MigrationFile> batch,
        IReadOnlyList<SqlScript> scripts,
        int fileIndex
    )
    {
        var statements = scripts[fileIndex].Statements;
        for (var k = 0; k < statements.Count; k++)
        {
            if (AddedEnumValue(statements[k]) is not { } added) continue;
            var laterInFile = statements.Skip(k + 1).Select(s => (File: batch[fileIndex], Statement: s));
            var laterFiles = Enumerable.Range(fileIndex + 1, batch.Count - fileIndex - 1)
                .SelectMany(f => scripts[f].Statements.Select(s => (File: batch[f], Statement: s)));
            foreach (var (file, statement) in laterInFile.Concat(laterFiles))
            {
                var use = statement.Tokens.FirstOrDefault(t => t.Kind == SqlTokenKind.String && t.Value == added.Value);
                if (use is null || AddedEnumValue(statement) is not null)
                    continue;
                var where = ReferenceEquals(file, batch[fileIndex])
                    ? $"line {use.Line} of the same file"
                    : $"{file.FileName}:{use.Line}";
                return new NonTransactionalFile(
                    batch[fileIndex],
                    $"ALTER TYPE {added.Type} ADD VALUE '{added.Value}' (line {added.Line}) is used at {where}; a " +
                    "new enum value cannot be used before the transaction that added it commits",
                    added.Line);
            }
        }
        return null;
    }

    private sealed record AddedValue(string Type, string Value, int Line);

    /// <summary>ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'value' ...</summary>
    private static AddedValue? AddedEnumValue(SqlStatement s)
    {
        if (!s.StartsWith("alter", "type")) return null;
        var add = s.IndexOf("add");
        if (add < 0 || !s.MatchesAt(add + 1, "value")) return null;
        var valueIndex = s.MatchesAt(add + 2, "if", "not", "exists") ? add + 5 : add + 2;
        if (valueIndex >= s.Tokens.Count || s.Tokens[valueIndex].Kind != SqlTokenKind.String) return null;
        var type = string.Concat(s.Tokens.Skip(2).Take(add - 2).Select(t => t.Text));
        return new AddedValue(type, s.Tokens[valueIndex].Value, s.Line);
    }
}
