using Build.Migrations.Sql;

namespace Build.Migrations;

/// <summary>
/// Transaction control in a file that runs inside the suite's transaction (a migration batch, the seed, a rollback).
/// A plain BEGIN / START TRANSACTION / COMMIT / END around the file adds nothing there and is skipped (the Supabase CLI
/// writes such files); savepoints the file sets and rolls back to itself work inside the transaction. What ends the
/// transaction part way (COMMIT AND CHAIN, ROLLBACK, ABORT, two-phase commit) or rolls back to a savepoint the file
/// did not set would keep or lose work behind the run's back, so it is refused before anything runs.
/// </summary>
public static class TransactionControl
{
    /// <summary>Statements of <paramref name="script"/> that must not run inside the suite's transaction.</summary>
    public static IReadOnlyList<TransactionControlStatement> FindRefused(SqlScript script)
    {
        var found = new List<TransactionControlStatement>();
        var savepoints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in script.Statements)
        {
            if (s.StartsWith("savepoint") && s.Tokens.Count > 1) savepoints.Add(s.Tokens[1].Value);
            else if (s.StartsWith("prepare", "transaction"))
                found.Add(
                    new(
                        s,
                        "PREPARE TRANSACTION",
                        "would end the batch's transaction and leave it prepared for two-phase commit"
                    )
                );
            else if ((s.StartsWith("commit") || s.StartsWith("rollback")) && s.MatchesAt(1, "prepared"))
                found.Add(
                    new(
                        s,
                        $"{s.First.Text.ToUpperInvariant()} PREPARED",
                        "would finish a prepared transaction from inside the batch"
                    )
                );
            else if ((s.StartsWith("commit") || s.StartsWith("end")) && EndsWithChain(s))
                found.Add(
                    new(
                        s,
                        $"{s.First.Text.ToUpperInvariant()} AND CHAIN",
                        "would commit everything before it and go on in a new transaction, so a later failure could " +
                        "no longer undo it"
                    )
                );
            else if (s.StartsWith("rollback") || s.StartsWith("abort"))
            {
                var to = RollbackToSavepoint(s);
                if (to is null)
                    found.Add(
                        new(
                            s,
                            s.First.Text.ToUpperInvariant(),
                            "would undo the batch's earlier files and run the rest outside its transaction, where " +
                            "each statement commits on its own"
                        )
                    );
                else if (!savepoints.Contains(to))
                    found.Add(
                        new(
                            s,
                            $"ROLLBACK TO SAVEPOINT {to}",
                            "names a savepoint this file did not set earlier, so it would undo other files' work (or " +
                            "fail)"
                        )
                    );
            }
        }
        return found;
    }

    public static IReadOnlyList<TransactionControlStatement> FindRefused(string sql) =>
        FindRefused(SqlScript.Parse(sql));

    /// <summary>
    /// A plain BEGIN / START TRANSACTION [modes] / COMMIT / END [WORK|TRANSACTION] [AND NO CHAIN]: inside the suite's
    /// transaction it adds nothing, so it is not sent (PostgreSQL would only warn).
    /// </summary>
    public static bool IsWrapper(SqlStatement s)
    {
        if (s.StartsWith("begin") || s.StartsWith("start", "transaction")) return true;
        if (!(s.StartsWith("commit") || s.StartsWith("end"))) return false;
        if (s.MatchesAt(1, "prepared")) return false;
        var i = 1;
        if (i < s.Tokens.Count && (s.Tokens[i].Is("work") || s.Tokens[i].Is("transaction"))) i++;
        return i == s.Tokens.Count || s.Tokens.Count == i + 3 && s.MatchesAt(i, "and", "no", "chain");
    }

    /// <summary>Whether the statement text (one statement, as the splitter gives it) is a wrapper to skip.</summary>
    public static bool IsWrapper(string statement)
    {
        // Cheap test first: such a statement is a few words long and names one of these; only those are lexed.
        if (
            statement.Length > 200
            || !(
                statement.Contains("begin", StringComparison.OrdinalIgnoreCase)
                || statement.Contains("start", StringComparison.OrdinalIgnoreCase)
                || statement.Contains("commit", StringComparison.OrdinalIgnoreCase)
                || statement.Contains("end", StringComparison.OrdinalIgnoreCase)
            )
        )
            return false;
        var parsed = SqlScript.Parse(statement).Statements;
        return parsed.Count == 1 && IsWrapper(parsed[0]);
    }

    private static bool EndsWithChain(SqlStatement s) =>
        s.Tokens.Count >= 3 && s.Tokens[^1].Is("chain") && s.Tokens[^2].Is("and");

    /// <summary>ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] name: the name, else null.</summary>
    private static string? RollbackToSavepoint(SqlStatement s)
    {
        if (!s.StartsWith("rollback")) return null;
        var i = 1;
        if (i < s.Tokens.Count && (s.Tokens[i].Is("work") || s.Tokens[i].Is("transaction"))) i++;
        if (!s.MatchesAt(i, "to")) return null;
        i++;
        if (s.MatchesAt(i, "savepoint")) i++;
        return i < s.Tokens.Count ? s.Tokens[i].Value : null;
    }
}
