using Build.Migrations.Sql;

namespace Build.Migrations.Lint;

/// <summary>A table or schema name as PostgreSQL resolves it: unquoted words fold to lower case.</summary>
public readonly record struct QualifiedName(string? Schema, string Name)
{
    public string Resolve(string defaultSchema) => $"{Schema ?? defaultSchema}.{Name}";
    public override string ToString() => Schema is null ? Name : $"{Schema}.{Name}";
}

/// <summary>Small helpers to read DDL from a statement's significant tokens.</summary>
internal static class SqlSyntax
{
    public static bool IsName(SqlToken t) => t.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;

    /// <summary>Reads <c>name</c> or <c>schema.name</c> at <paramref name="index"/>; advances past it.</summary>
    public static QualifiedName? ReadName(IReadOnlyList<SqlToken> tokens, ref int index)
    {
        if (index >= tokens.Count || !IsName(tokens[index])) return null;
        var parts = new List<string> { tokens[index].Value };
        var i = index + 1;
        while (i + 1 < tokens.Count && tokens[i].IsPunctuation('.') && IsName(tokens[i + 1]))
        {
            parts.Add(tokens[i + 1].Value);
            i += 2;
        }
        index = i;
        // database.schema.table is allowed by PostgreSQL; keep the last two parts.
        return parts.Count == 1 ? new QualifiedName(null, parts[0]) : new QualifiedName(parts[^2], parts[^1]);
    }

    /// <summary>Skips the optional words in order, e.g. ("if", "exists"), when they all appear at
    /// <paramref name="index"/>.</summary>
    public static void Skip(IReadOnlyList<SqlToken> tokens, ref int index, params string[] words)
    {
        for (var k = 0; k < words.Length; k++)
            if (index + k >= tokens.Count || !tokens[index + k].Is(words[k])) return;
        index += words.Length;
    }

    /// <summary>Splits tokens [from, end) on commas outside parentheses.</summary>
    public static List<List<SqlToken>> SplitOnCommas(IReadOnlyList<SqlToken> tokens, int from)
    {
        var parts = new List<List<SqlToken>> { new() };
        var depth = 0;
        for (var i = from; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.IsPunctuation('(') || t.IsPunctuation('[')) depth++;
            else if (t.IsPunctuation(')') || t.IsPunctuation(']')) depth--;
            if (depth == 0 && t.IsPunctuation(',')) { parts.Add(new()); continue; }
            parts[^1].Add(t);
        }
        return parts.Where(p => p.Count > 0).ToList();
    }

    /// <summary>The tokens at parenthesis depth 0 (what belongs to this clause, not to sub-expressions).</summary>
    public static IEnumerable<(SqlToken Token, int Index)> TopLevel(IReadOnlyList<SqlToken> tokens, int from = 0)
    {
        var depth = 0;
        for (var i = from; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.IsPunctuation('(') || t.IsPunctuation('[')) { depth++; continue; }
            if (t.IsPunctuation(')') || t.IsPunctuation(']')) { depth--; continue; }
            if (depth == 0) yield return (t, i);
        }
    }

    public static bool HasTopLevelSequence(IReadOnlyList<SqlToken> tokens, params string[] words)
    {
        var top = TopLevel(tokens).Select(x => x.Token).ToList();
        for (var i = 0; i + words.Length <= top.Count; i++)
            if (words.Select((w, k) => top[i + k].Is(w)).All(b => b)) return true;
        return false;
    }
}
