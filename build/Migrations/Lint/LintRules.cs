namespace Build.Migrations.Lint;

/// <summary>
/// Every rule. Errors are changes that lose data, break the running application or expose data (they block a
/// production deploy unless allowed); warnings are changes that take heavy locks or scan whole tables.
/// </summary>
public static class LintRules
{
    public static readonly LintRule DropTable = new(
        "drop-table",
        LintSeverity.Error,
        "DROP TABLE deletes the table and its data",
        "stop using the table in the deployed app first, drop it in a later release, and back it up"
    );
    public static readonly LintRule DropColumn = new(
        "drop-column",
        LintSeverity.Error,
        "DROP COLUMN deletes data and breaks code that still reads the column",
        "deploy app code that no longer uses the column first (expand/contract), then drop it in a later migration"
    );
    public static readonly LintRule DropSchema = new(
        "drop-schema",
        LintSeverity.Error,
        "DROP SCHEMA deletes every object in the schema",
        "drop the objects explicitly in a reviewed migration, or allow it with a reason"
    );
    public static readonly LintRule Truncate = new(
        "truncate",
        LintSeverity.Error,
        "TRUNCATE deletes every row",
        "delete the rows you mean with DELETE ... WHERE, or allow it with a reason"
    );
    public static readonly LintRule DeleteWithoutWhere = new(
        "delete-without-where",
        LintSeverity.Error,
        "DELETE without WHERE deletes every row",
        "add a WHERE clause that selects the rows to delete"
    );
    public static readonly LintRule UpdateWithoutWhere = new(
        "update-without-where",
        LintSeverity.Error,
        "UPDATE without WHERE rewrites every row",
        "add a WHERE clause; for large tables backfill in batches outside the migration"
    );
    public static readonly LintRule ChangeColumnType = new(
        "change-column-type",
        LintSeverity.Error,
        "changing a column's type rewrites the table under an exclusive lock and breaks readers of the old type",
        "add a new column with the new type, backfill it, switch the app over, then drop the old column later"
    );
    public static readonly LintRule AddNotNullColumnWithoutDefault = new(
        "add-not-null-column-without-default",
        LintSeverity.Error,
        "adding a NOT NULL column without DEFAULT to an existing table fails as soon as the table has rows",
        "add a DEFAULT, or add the column nullable, backfill it, then set NOT NULL"
    );
    public static readonly LintRule SetNotNull = new(
        "set-not-null",
        LintSeverity.Warning,
        "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
        "first ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT, then SET NOT NULL " +
        "(PostgreSQL 12+ skips the scan)"
    );
    public static readonly LintRule IndexWithoutConcurrently = new(
        "create-index-without-concurrently",
        LintSeverity.Warning,
        "CREATE INDEX without CONCURRENTLY blocks writes to an existing table while it builds",
        "use CREATE INDEX CONCURRENTLY in a file of its own (it runs outside the batch transaction)"
    );
    public static readonly LintRule Rename = new(
        "rename",
        LintSeverity.Error,
        "renaming breaks the deployed app and clients that still use the old name",
        "add the new name alongside the old (new column + backfill, or a view), switch the app, then remove the old " +
        "name later"
    );
    public static readonly LintRule ConstraintWithoutNotValid = new(
        "constraint-without-not-valid",
        LintSeverity.Warning,
        "adding a FOREIGN KEY or CHECK constraint validates every row while holding a lock",
        "add it with NOT VALID, then run ALTER TABLE ... VALIDATE CONSTRAINT in a later statement or migration"
    );
    public static readonly LintRule TableWithoutRls = new(
        "table-without-rls",
        LintSeverity.Error,
        "a new table in schema public is readable and writable through Supabase's Data API until row level security " +
        "is enabled",
        "add ALTER TABLE <table> ENABLE ROW LEVEL SECURITY (and policies) in the same migration"
    );
    public static readonly LintRule TransactionControl = new(
        "transaction-control",
        LintSeverity.Error,
        "COMMIT AND CHAIN, ROLLBACK, ABORT, two-phase commit or ROLLBACK TO another file's savepoint ends the " +
        "batch's transaction part way: work is kept or lost behind the run's back",
        "remove it (a plain BEGIN/COMMIT around the file is fine), or start the file with '-- pg-delta: " +
        "transaction=false' to run it on its own; ApplyMigrations refuses it either way"
    );
    public static readonly LintRule RealtimePublicationReplaced = new(
        "realtime-publication-replaced",
        LintSeverity.Error,
        "dropping, re-creating or SET TABLE on the supabase_realtime publication silently removes every other table " +
        "from Realtime",
        "add or remove only your table: ALTER PUBLICATION supabase_realtime ADD TABLE <table> (or DROP TABLE <table>)"
    );
    public static readonly LintRule Unterminated = new(
        "unterminated",
        LintSeverity.Error,
        "an unterminated string, quoted identifier, dollar quote or comment swallows the rest of the file",
        "close it"
    );
    public static readonly LintRule AllowWithoutReason = new(
        "allow-without-reason",
        LintSeverity.Error,
        "a lint:allow marker needs a reason",
        "write it as: -- lint:allow <rule-id> reason: <why this is safe>"
    );
    public static readonly LintRule AllowUnknownRule = new(
        "allow-unknown-rule",
        LintSeverity.Warning,
        "a lint:allow marker names a rule that does not exist",
        "use one of the rule ids from docs/migrations-lint.md"
    );

    public static IReadOnlyList<LintRule> All { get; } =
    [
        DropTable,
        DropColumn,
        DropSchema,
        Truncate,
        DeleteWithoutWhere,
        UpdateWithoutWhere,
        ChangeColumnType,
        AddNotNullColumnWithoutDefault,
        SetNotNull,
        IndexWithoutConcurrently,
        Rename,
        ConstraintWithoutNotValid,
        TableWithoutRls,
        TransactionControl,
        RealtimePublicationReplaced,
        Unterminated,
        AllowWithoutReason,
        AllowUnknownRule,
    ];

    public static LintRule? Find(string id) =>
        All.FirstOrDefault(r => r.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
}
