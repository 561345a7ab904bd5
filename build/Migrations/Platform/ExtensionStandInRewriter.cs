using System.Reflection;
using Build.Migrations.Sql;

namespace Build.Migrations.Platform;

/// <summary>
/// Rewrites, for one replay, the statements that need an extension the server lacks: <c>CREATE EXTENSION x</c> runs
/// the stand-in instead, <c>ALTER/COMMENT ON EXTENSION x</c> do nothing, <c>DROP EXTENSION x</c> drops the stand-in,
/// and an HNSW/IVFFlat index on a stood-in vector becomes a plain index of the same name (so later statements that
/// name it still work). The history still records the file's own statements. Everything it did is in
/// <see cref="Uses"/>.
/// </summary>
public sealed class ExtensionStandInRewriter(IReadOnlySet<string> availableOnServer, string defaultSchema = "public")
{
    private readonly Dictionary<string, string> _installed = new(StringComparer.Ordinal);
    private readonly List<StandInUse> _uses = [];

    public IReadOnlyList<StandInUse> Uses => _uses;

    /// <summary>The text to send instead of <paramref name="statement"/>, or null to send it as written.</summary>
    public string? Rewrite(MigrationFile file, SplitStatement statement)
    {
        // Cheap test first: only statements that mention an extension or an index method are lexed.
        var text = statement.Text;
        if (
            !text.Contains("extension", StringComparison.OrdinalIgnoreCase)
            && !(
                _installed.ContainsKey("vector")
                && (
                    text.Contains("hnsw", StringComparison.OrdinalIgnoreCase)
                    || text.Contains("ivfflat", StringComparison.OrdinalIgnoreCase)
                )
            )
        )
            return null;
        var parsed = SqlScript.Parse(text).Statements;
        if (parsed.Count != 1) return null;
        var s = parsed[0];
        var line = SqlPosition.At(file.Content, statement.Offset + s.First.Offset).Line;

        if (s.StartsWith("create", "extension"))
        {
            var i = 2;
            if (s.MatchesAt(i, "if", "not", "exists")) i += 3;
            if (i >= s.Tokens.Count) return null;
            var name = s.Tokens[i].Value;
            if (availableOnServer.Contains(name) || ExtensionStandIns.Find(name) is not { } standIn) return null;
            if (_installed.ContainsKey(name)) return "SELECT 1";
            var at = s.IndexOf("schema", i + 1);
            var schema = at > 0 && at + 1 < s.Tokens.Count ? s.Tokens[at + 1].Value : defaultSchema;
            _installed[name] = schema;
            _uses.Add(new StandInUse(name, file, line, standIn.Provides));
            return Once(standIn.Sql(schema));
        }
        if ((s.StartsWith("alter", "extension") || s.StartsWith("comment", "on", "extension")) && s.Tokens.Count > 2)
        {
            var name = s.Tokens[s.StartsWith("alter") ? 2 : 3].Value;
            return _installed.ContainsKey(name) ? "SELECT 1" : null;
        }
        if (s.StartsWith("drop", "extension"))
        {
            var i = 2;
            if (s.MatchesAt(i, "if", "exists")) i += 2;
            var names = s.Tokens.Skip(i).Where(t => t.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
                .Select(t => t.Value).Where(n => n is not ("cascade" or "restrict")).ToList();
            var stood = names.Where(_installed.ContainsKey).ToList();
            if (stood.Count == 0) return null;
            var drops = stood.Select(n => ExtensionStandIns.Find(n)!.Drop(_installed[n])).ToList();
            var real = names.Except(stood).ToList();
            if (real.Count > 0)
                drops.Insert(
                    0,
                    $"DROP EXTENSION IF EXISTS {string.Join(", ", real.Select(ExtensionStandIn.Quote))}" +
                    $"{(s.Tokens[^1].Is("cascade") ? " CASCADE" : "")}"
                );
            foreach (var n in stood)
                _installed.Remove(n);
            return Once(string.Join(";\n", drops));
        }
        if (
            _installed.ContainsKey("vector")
            && (s.StartsWith("create", "index") || s.StartsWith("create", "unique", "index"))
            && VectorIndex(s) is { } index
        )
        {
            _uses.Add(
                new StandInUse(
                    "vector",
                    file,
                    line,
                    $"{index.Method.ToUpperInvariant()} index {index.Name ?? "(unnamed)"} not built: a plain index " +
                    "of the same name stands in"
                )
            );
            return index.Replacement;
        }
        return null;
    }

    private sealed record IndexRewrite(string Method, string? Name, string Replacement);

    /// <summary>CREATE [UNIQUE] INDEX [CONCURRENTLY] [[IF NOT EXISTS] name] ON [ONLY] table USING hnsw|ivfflat
    /// (...).</summary>
    private static IndexRewrite? VectorIndex(SqlStatement s)
    {
        var t = s.Tokens;
        var on = s.IndexOf("on");
        var usingAt = s.IndexOf("using", on + 1);
        if (
            on < 0
            || usingAt < 0
            || usingAt + 1 >= t.Count
            || !(t[usingAt + 1].Is("hnsw") || t[usingAt + 1].Is("ivfflat"))
        )
            return null;
        var head = string.Join(" ", t.Take(on).Where(x => !x.Is("unique")).Select(x => x.Text));
        var table = string.Join(
            "",
            t.Skip(on + 1).Take(usingAt - on - 1).Select(x => x.Text is "only" or "ONLY" ? x.Text + " " : x.Text)
        );
        var nameToken = t[on - 1];
        string? name =
            nameToken.Is("index") || nameToken.Is("concurrently") || nameToken.Is("exists") ? null : nameToken.Text;
        return new IndexRewrite(
            t[usingAt + 1].Value,
            name,
            name is null ? "SELECT 1" : $"{head} ON {table} ((NULL::integer))"
        );
    }

    /// <summary>Several statements sent as one command (a pipelined command holds one statement).</summary>
    private static string Once(string sql) =>
        $"DO $standin$ BEGIN EXECUTE $sql_standin${sql}$sql_standin$; END $standin$";
}
