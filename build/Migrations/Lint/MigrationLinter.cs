using Build.Migrations.Sql;
using static Build.Migrations.Lint.SqlSyntax;

namespace Build.Migrations.Lint;

/// <summary>
/// Lints migration files for changes that lose data, break the running app, lock big tables or expose data.
/// Works on lexer tokens: keywords inside comments, strings and dollar-quoted bodies (functions, DO blocks) are
/// never looked at. A table created earlier in the same batch is "new" and exempt from the rules that only matter
/// for tables that already hold data.
/// </summary>
public static class MigrationLinter
{
    private static readonly string[] SerialTypes =
    [
        "serial",
        "serial2",
        "serial4",
        "serial8",
        "smallserial",
        "bigserial",
    ];

    public static IReadOnlyList<LintFinding> Lint(IEnumerable<MigrationFile> files, LintOptions? options = null)
    {
        options ??= new LintOptions();
        var parsed = files.Select(f => new ParsedFile(f, SqlScript.Parse(f.Content))).ToList();
        var batches = options.EachFileIsItsOwnBatch
            ? parsed.Select(p => new List<ParsedFile> { p }).ToList()
            : [parsed];
        var findings = new List<LintFinding>();
        foreach (var batch in batches)
            findings.AddRange(LintBatch(batch, options));
        return findings;
    }

    private sealed record ParsedFile(MigrationFile File, SqlScript Script);

    private sealed record Located(ParsedFile File, SqlStatement Statement, string DefaultSchema);

    private static IEnumerable<Located> Walk(IEnumerable<ParsedFile> batch, LintOptions options)
    {
        foreach (var file in batch)
        {
            var schema = options.DefaultSchema;
            foreach (var statement in file.Script.Statements)
            {
                yield return new Located(file, statement, schema);
                schema = SearchPathSchema(statement) ?? schema;
            }
        }
    }

    private static IEnumerable<LintFinding> LintBatch(IReadOnlyList<ParsedFile> batch, LintOptions options)
    {
        var rlsEnabled = Walk(batch, options).SelectMany(l => RlsEnabledTables(l)).ToHashSet();
        var state = new BatchState(rlsEnabled);
        var raw = new List<(ParsedFile File, LintRule Rule, SqlToken At, string Message)>();
        foreach (var located in Walk(batch, options))
            foreach (var (rule, at, message) in Check(located, state))
                raw.Add((located.File, rule, at, message));

        foreach (var file in batch)
        {
            var markers = AllowMarker.FindIn(file.Script);
            foreach (var (_, rule, at, message) in raw.Where(r => r.File == file))
            {
                var allow = markers.FirstOrDefault(m =>
                    m.HasReason && m.RuleIds.Any(id => id.Equals(rule.Id, StringComparison.OrdinalIgnoreCase))
                );
                yield return new LintFinding(rule, file.File.Path, at.Line, at.Column, message, allow?.Reason);
            }
            foreach (var marker in markers)
            {
                if (!marker.HasReason)
                    yield return new LintFinding(
                        LintRules.AllowWithoutReason,
                        file.File.Path,
                        marker.Line,
                        marker.Column,
                        "allow marker for " +
                        $"{(marker.RuleIds.Count == 0 ? "no rule" : string.Join(", ", marker.RuleIds))} has no " +
                        "reason, so it allows nothing"
                    );
                else if (marker.RuleIds.Count == 0)
                    yield return new LintFinding(
                        LintRules.AllowUnknownRule,
                        file.File.Path,
                        marker.Line,
                        marker.Column,
                        "allow marker names no rule"
                    );
                foreach (var id in marker.RuleIds.Where(id => LintRules.Find(id) is null))
                    yield return new LintFinding(
                        LintRules.AllowUnknownRule,
                        file.File.Path,
                        marker.Line,
                        marker.Column,
                        $"allow marker names unknown rule '{id}'"
                    );
            }
            // A file that runs on its own (outside the batch's transaction) may control its own transactions.
            if (NonTransactionalDetector.Detect(file.File) is null)
                foreach (var control in Migrations.TransactionControl.FindRefused(file.Script))
                    yield return new LintFinding(
                        LintRules.TransactionControl,
                        file.File.Path,
                        control.Line,
                        control.Column,
                        $"{control.What} {control.Why}",
                        markers
                            .FirstOrDefault(m =>
                                m.HasReason
                                && m.RuleIds.Any(id =>
                                    id.Equals(LintRules.TransactionControl.Id, StringComparison.OrdinalIgnoreCase)
                                )
                            )
                            ?.Reason
                    );
            foreach (var token in file.Script.Tokens.Where(t => t.Unterminated))
                yield return new LintFinding(LintRules.Unterminated, file.File.Path, token.Line, token.Column,
                    $"unterminated {Describe(token.Kind)} starting here runs to the end of the file");
        }
    }

    private static string Describe(SqlTokenKind kind) => kind switch
    {
        SqlTokenKind.String => "string literal",
        SqlTokenKind.QuotedIdentifier => "quoted identifier",
        SqlTokenKind.DollarString => "dollar-quoted string",
        _ => "block comment",
    };

    /// <summary>What the batch has created so far, and which tables get row level security somewhere in it.</summary>
    private sealed class BatchState(HashSet<string> rlsEnabled)
    {
        public HashSet<string> NewTables { get; } = new(StringComparer.Ordinal);
        public HashSet<string> NewSchemas { get; } = new(StringComparer.Ordinal);
        public HashSet<string> RlsEnabled { get; } = rlsEnabled;
    }

    private static IEnumerable<(LintRule Rule, SqlToken At, string Message)> Check(Located located, BatchState state)
    {
        var s = located.Statement;
        var t = s.Tokens;
        var schema = located.DefaultSchema;
        bool IsNew(QualifiedName? name) => name is { } n && state.NewTables.Contains(n.Resolve(schema));

        if (s.StartsWith("create", "schema"))
        {
            var i = 2;
            Skip(t, ref i, "if", "not", "exists");
            if (i < t.Count && IsName(t[i]) && !t[i].Is("authorization")) state.NewSchemas.Add(t[i].Value);
        }
        else if (CreatedTable(s) is { } created)
        {
            var key = created.Name.Resolve(schema);
            state.NewTables.Add(key);
            if ((created.Name.Schema ?? schema) == "public" && !state.RlsEnabled.Contains(key))
                yield return (
                    LintRules.TableWithoutRls,
                    created.At,
                    $"table {key} is created without ENABLE ROW LEVEL SECURITY in this batch"
                );
        }
        else if (s.StartsWith("drop", "table"))
        {
            var i = 2;
            Skip(t, ref i, "if", "exists");
            var names = SplitOnCommas(t, i).Select(part => { var k = 0; return ReadName(part, ref k); }).ToList();
            if (!names.All(IsNew))
                yield return (
                    LintRules.DropTable,
                    s.First,
                    $"DROP TABLE {string.Join(", ", names.Where(n => !IsNew(n)))}"
                );
        }
        else if (s.StartsWith("drop", "schema"))
        {
            var i = 2;
            Skip(t, ref i, "if", "exists");
            var names = SplitOnCommas(t, i).Select(part => part.Count > 0 ? part[0].Value : "?").ToList();
            if (!names.All(state.NewSchemas.Contains))
                yield return (LintRules.DropSchema, s.First, $"DROP SCHEMA {string.Join(", ", names)}");
        }
        else if (s.StartsWith("truncate"))
        {
            var i = 1;
            Skip(t, ref i, "table");
            Skip(t, ref i, "only");
            var names = SplitOnCommas(t, i)
                .Select(part =>
                {
                    var k = 0;
                    Skip(part, ref k, "only");
                    return ReadName(part, ref k);
                })
                .ToList();
            if (!names.All(IsNew))
                yield return (LintRules.Truncate, s.First, $"TRUNCATE {string.Join(", ", names)}");
        }
        else if (s.StartsWith("alter", "table"))
        {
            foreach (var finding in CheckAlterTable(s, schema, IsNew)) yield return finding;
        }
        else if (s.StartsWith("create", "index") || s.StartsWith("create", "unique", "index"))
        {
            if (!s.Contains("concurrently"))
            {
                var on = TopLevel(t).FirstOrDefault(x => x.Token.Is("on"));
                var i = on.Token is null ? t.Count : on.Index + 1;
                Skip(t, ref i, "only");
                var table = ReadName(t, ref i);
                if (table is not null && !IsNew(table))
                    yield return (
                        LintRules.IndexWithoutConcurrently,
                        s.First,
                        $"CREATE INDEX on existing table {table.Value.Resolve(schema)} without CONCURRENTLY"
                    );
            }
        }
        else if (RealtimePublicationChange(s) is { } change)
        {
            yield return (LintRules.RealtimePublicationReplaced, s.First, change);
        }
        else if (s.StartsWith("alter") && t.Count > 1 && RenameableObject(s) is { } kind)
        {
            var rename = TopLevel(t).FirstOrDefault(x => x.Token.Is("rename"));
            if (rename.Token is not null && !(rename.Index + 1 < t.Count && t[rename.Index + 1].Is("constraint")))
                yield return (LintRules.Rename, rename.Token, $"ALTER {kind} ... RENAME");
        }

        foreach (var finding in CheckWithoutWhere(s)) yield return finding;
    }

    /// <summary>DROP / CREATE PUBLICATION supabase_realtime, or ALTER PUBLICATION supabase_realtime SET TABLE: what it
    /// does.</summary>
    private static string? RealtimePublicationChange(SqlStatement s)
    {
        const string name = "supabase_realtime";
        if (s.StartsWith("drop", "publication"))
        {
            var i = 2;
            Skip(s.Tokens, ref i, "if", "exists");
            if (SplitOnCommas(s.Tokens, i).Any(part => part[0].Value == name))
                return "DROP PUBLICATION supabase_realtime removes every table from Realtime (re-creating it brings " +
                    "back only the tables this migration adds)";
        }
        else if (s.StartsWith("create", "publication") && s.Tokens.Count > 2 && s.Tokens[2].Value == name)
            return "CREATE PUBLICATION supabase_realtime replaces Supabase's publication: only the tables named here " +
                "stay in Realtime";
        else if (
            s.StartsWith("alter", "publication")
            && s.Tokens.Count > 3
            && s.Tokens[2].Value == name
            && s.Tokens[3].Is("set")
            && s.Tokens.Skip(4).Any(t => t.Is("table") || t.Is("tables"))
        )
            return "ALTER PUBLICATION supabase_realtime SET TABLE replaces the list: every table not named here " +
                "leaves Realtime";
        return null;
    }

    private static string? RenameableObject(SqlStatement s)
    {
        foreach (var kind in new[] { "view", "function", "procedure", "schema", "type" })
            if (s.MatchesAt(1, kind)) return kind.ToUpperInvariant();
        if (s.MatchesAt(1, "materialized", "view")) return "MATERIALIZED VIEW";
        if (s.MatchesAt(1, "foreign", "table")) return "FOREIGN TABLE";
        return null;
    }

    private sealed record CreatedTableInfo(QualifiedName Name, SqlToken At);

    /// <summary>CREATE [GLOBAL|LOCAL] [UNLOGGED] TABLE [IF NOT EXISTS] name (temporary tables are not kept).</summary>
    private static CreatedTableInfo? CreatedTable(SqlStatement s)
    {
        if (!s.StartsWith("create")) return null;
        var i = 1;
        Skip(s.Tokens, ref i, "global");
        Skip(s.Tokens, ref i, "local");
        if (i < s.Tokens.Count && (s.Tokens[i].Is("temp") || s.Tokens[i].Is("temporary"))) return null;
        Skip(s.Tokens, ref i, "unlogged");
        if (!s.MatchesAt(i, "table")) return null;
        i++;
        Skip(s.Tokens, ref i, "if", "not", "exists");
        return ReadName(s.Tokens, ref i) is { } name ? new CreatedTableInfo(name, s.First) : null;
    }

    /// <summary>Tables an ALTER TABLE ... ENABLE ROW LEVEL SECURITY statement covers.</summary>
    private static IEnumerable<string> RlsEnabledTables(Located located)
    {
        var s = located.Statement;
        if (!s.StartsWith("alter", "table") || !HasTopLevelSequence(s.Tokens, "enable", "row", "level", "security"))
            yield break;
        if (AlteredTable(s, out _) is { } name)
            yield return name.Resolve(located.DefaultSchema);
    }

    /// <summary>ALTER TABLE [IF EXISTS] [ONLY] name [*]: the table and where its actions start.</summary>
    private static QualifiedName? AlteredTable(SqlStatement s, out int actionsStart)
    {
        var i = 2;
        Skip(s.Tokens, ref i, "if", "exists");
        Skip(s.Tokens, ref i, "only");
        var name = ReadName(s.Tokens, ref i);
        if (i < s.Tokens.Count && s.Tokens[i].Text == "*") i++;
        actionsStart = i;
        return name;
    }

    private static IEnumerable<(LintRule, SqlToken, string)> CheckAlterTable(
        SqlStatement s,
        string schema,
        Func<QualifiedName?, bool> isNew
    )
    {
        var table = AlteredTable(s, out var start);
        if (table is null || isNew(table)) yield break;
        var tableName = table.Value.Resolve(schema);
        foreach (var action in SplitOnCommas(s.Tokens, start))
        {
            var verb = action[0];
            if (verb.Is("add"))
            {
                var i = 1;
                var isConstraint =
                    action.Count > 1
                    && (
                        action[1].Is("constraint")
                        || action[1].Is("check")
                        || action[1].Is("foreign")
                        || action[1].Is("unique")
                        || action[1].Is("primary")
                        || action[1].Is("exclude")
                    );
                if (isConstraint)
                {
                    if (action[1].Is("constraint")) i = 3;
                    var kind = i < action.Count ? action[i] : null;
                    if (
                        (kind?.Is("check") == true || kind?.Is("foreign") == true)
                        && !HasTopLevelSequence(action, "not", "valid")
                    )
                    {
                        var what = kind!.Is("foreign") ? "FOREIGN KEY" : "CHECK";
                        var named =
                            action[1].Is("constraint") && action.Count > 2 ? $"CONSTRAINT {action[2].Text} " : "";
                        yield return (
                            LintRules.ConstraintWithoutNotValid,
                            verb,
                            $"ALTER TABLE {tableName} ADD {named}{what} without NOT VALID"
                        );
                    }
                    continue;
                }
                Skip(action, ref i, "column");
                Skip(action, ref i, "if", "not", "exists");
                var column = i < action.Count ? action[i].Value : "?";
                var type = i + 1 < action.Count ? action[i + 1].Value : "";
                var notNull =
                    HasTopLevelSequence(action, "not", "null") || HasTopLevelSequence(action, "primary", "key");
                var filled =
                    HasTopLevelSequence(action, "default")
                    || HasTopLevelSequence(action, "generated")
                    || SerialTypes.Contains(type);
                if (notNull && !filled)
                    yield return (
                        LintRules.AddNotNullColumnWithoutDefault,
                        verb,
                        $"ALTER TABLE {tableName} ADD COLUMN {column} NOT NULL without DEFAULT"
                    );
            }
            else if (verb.Is("drop"))
            {
                if (action.Count > 1 && action[1].Is("constraint")) continue;
                var i = 1;
                Skip(action, ref i, "column");
                Skip(action, ref i, "if", "exists");
                var column = i < action.Count ? action[i].Value : "?";
                yield return (LintRules.DropColumn, verb, $"ALTER TABLE {tableName} DROP COLUMN {column}");
            }
            else if (verb.Is("alter"))
            {
                if (action.Count > 1 && action[1].Is("constraint")) continue;
                var i = 1;
                Skip(action, ref i, "column");
                var column = i < action.Count ? action[i].Value : "?";
                i++;
                if (
                    action.Count > i
                    && (
                        action[i].Is("type")
                        || action.Count > i + 2
                            && action[i].Is("set")
                            && action[i + 1].Is("data")
                            && action[i + 2].Is("type")
                    )
                )
                    yield return (
                        LintRules.ChangeColumnType,
                        verb,
                        $"ALTER TABLE {tableName} ALTER COLUMN {column} TYPE"
                    );
                else if (
                    action.Count > i + 2
                    && action[i].Is("set")
                    && action[i + 1].Is("not")
                    && action[i + 2].Is("null")
                )
                    yield return (
                        LintRules.SetNotNull,
                        verb,
                        $"ALTER TABLE {tableName} ALTER COLUMN {column} SET NOT NULL"
                    );
            }
            else if (verb.Is("rename"))
            {
                if (action.Count > 1 && action[1].Is("constraint")) continue;
                var what = action.Count > 1 && action[1].Is("to") ? $"table {tableName}" : $"a column of {tableName}";
                yield return (LintRules.Rename, verb, $"ALTER TABLE ... RENAME renames {what}");
            }
        }
    }

    /// <summary>DELETE/UPDATE (also the main statement after a WITH list) whose own clause has no WHERE.</summary>
    private static IEnumerable<(LintRule, SqlToken, string)> CheckWithoutWhere(SqlStatement s)
    {
        var top = TopLevel(s.Tokens).ToList();
        static bool IsVerb(SqlToken t) => t.Is("delete") || t.Is("update");
        // After WITH, the main verb follows the closing parenthesis of the last CTE ("FOR UPDATE" sits inside one).
        var verbAt =
            IsVerb(s.First) ? 0
            : s.StartsWith("with")
                ? top.FindIndex(x => IsVerb(x.Token) && x.Index > 0 && s.Tokens[x.Index - 1].IsPunctuation(')'))
            : -1;
        if (verbAt < 0 || top.Skip(verbAt + 1).Any(x => x.Token.Is("where"))) yield break;
        var verb = top[verbAt].Token;
        yield return verb.Is("delete")
            ? (LintRules.DeleteWithoutWhere, verb, "DELETE without WHERE")
            : (LintRules.UpdateWithoutWhere, verb, "UPDATE without WHERE");
    }

    /// <summary>SET [SESSION|LOCAL] search_path TO|= first, ...: the schema unqualified names now resolve to.</summary>
    private static string? SearchPathSchema(SqlStatement s)
    {
        if (!s.StartsWith("set")) return null;
        var i = 1;
        Skip(s.Tokens, ref i, "session");
        Skip(s.Tokens, ref i, "local");
        if (!s.MatchesAt(i, "search_path")) return null;
        i++;
        if (i < s.Tokens.Count && (s.Tokens[i].Is("to") || s.Tokens[i].Text == "=")) i++;
        var values = SplitOnCommas(s.Tokens, i).Select(p => p[0].Value).Where(v => v != "$user").ToList();
        return values.FirstOrDefault();
    }
}
