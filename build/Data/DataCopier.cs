using System.Diagnostics;
using Build.Configuration;
using Npgsql;

namespace Build.Data;

/// <summary>
/// Copies the configured tables from one database to another with COPY (binary, streamed from a read-only snapshot of
/// the source), in foreign-key order, in ONE transaction on the target: the target's rows in those tables are replaced
/// all or nothing — a connection cut or any failure part way leaves the target exactly as it was. Tables without a
/// primary key, identity columns (their values kept) and generated columns (recomputed by the target) are handled;
/// foreign keys that close a cycle are dropped for the load and re-added inside the transaction, which re-checks them;
/// owned sequences take the source's position; every table's row count is checked against the source before commit.
/// Anonymisation rules rewrite columns on the source side, so original values never reach the target.
/// </summary>
public sealed class DataCopier(Action<string> progress)
{
    public const string ApplicationName = "muva CopyData";

    /// <summary>The tables, their load order and estimated rows, from the source (and the target's foreign
    /// keys).</summary>
    public static async Task<CopyPlan> PlanAsync(
        string source,
        string target,
        CopySettings settings,
        CancellationToken cancellationToken = default
    )
    {
        foreach (var (column, rule) in settings.Anonymize)
            if (!Anonymizer.IsValid(rule))
                throw new CopyRefusedException(
                    $"data.copy.anonymize.{column}: '{rule}' is not a rule ({string.Join(", ", Anonymizer.Rules)})."
                );

        await using var sourceConnection = await OpenAsync(source, "source", cancellationToken);
        var tables = await ReadTablesAsync(sourceConnection, settings, cancellationToken);
        if (tables.Count == 0)
            throw new CopyRefusedException(
                $"no table to copy: the source has no tables in {string.Join(", ", settings.Schemas)}"
                    + (settings.Tables.Count > 0 ? $" nor {string.Join(", ", settings.Tables)}" : "")
                    + " (data.copy in environments.json)."
            );
        var unknownRules = settings
            .Anonymize.Keys.Where(k => !tables.Any(t => t.Columns.Any(c => $"{t.QualifiedName}.{c.Name}" == k)))
            .ToList();
        if (unknownRules.Count > 0)
            throw new CopyRefusedException(
                $"data.copy.anonymize names column(s) that are not copied: {string.Join(", ", unknownRules)} " +
                "(schema.table.column)."
            );

        await using var targetConnection = await OpenAsync(target, "target", cancellationToken);
        await CheckTargetColumnsAsync(targetConnection, tables, cancellationToken);
        var keys = await ReadForeignKeysAsync(targetConnection, tables, cancellationToken);
        return Order(tables, keys);
    }

    /// <summary>Copies according to <paramref name="plan"/>. Refuses (changing nothing) when the target holds rows and
    /// <paramref name="replace"/> is false.</summary>
    public async Task<CopyResult> CopyAsync(
        string source,
        string target,
        CopyPlan plan,
        bool replace,
        CancellationToken cancellationToken = default
    )
    {
        var watch = Stopwatch.StartNew();
        await using var sourceConnection = await OpenAsync(source, "source", cancellationToken);
        await using var snapshot = await sourceConnection.BeginTransactionAsync(
            System.Data.IsolationLevel.RepeatableRead,
            cancellationToken
        );
        await ExecuteAsync(sourceConnection, snapshot, "SET TRANSACTION READ ONLY", cancellationToken);

        await using var targetConnection = await OpenAsync(target, "target", cancellationToken);
        await using var transaction = await targetConnection.BeginTransactionAsync(cancellationToken);

        var nonEmpty = new List<(string, long)>();
        foreach (var table in plan.Tables)
            if (await CountAsync(targetConnection, transaction, table, cancellationToken) is > 0 and var rows)
                nonEmpty.Add((table.QualifiedName, rows));
        if (nonEmpty.Count > 0 && !replace) throw new CopyNeedsConfirmationException(nonEmpty);

        await ExecuteAsync(
            targetConnection,
            transaction,
            "TRUNCATE " + string.Join(", ", plan.Tables.Select(t => t.Sql)),
            cancellationToken
        );
        foreach (var key in plan.CycleKeys)
            await ExecuteAsync(
                targetConnection,
                transaction,
                $"ALTER TABLE {key.Table} DROP CONSTRAINT {CopyTable.Quote(key.Name)}",
                cancellationToken
            );

        var copied = new List<(string Table, long Rows)>();
        foreach (var table in plan.Tables)
        {
            var expected = await CountAsync(sourceConnection, snapshot, table, cancellationToken);
            var anonymised = table.Columns.Where(c => c.Rule is not null).Select(c => $"{c.Name} ({c.Rule})").ToList();
            progress(
                $"  {table.QualifiedName}: {expected} row(s)"
                    + (anonymised.Count > 0 ? $", anonymising {string.Join(", ", anonymised)}" : "")
            );
            var columns = string.Join(", ", table.Columns.Select(c => CopyTable.Quote(c.Name)));
            var select = string.Join(
                ", ",
                table.Columns.Select(c => Anonymizer.Expression(CopyTable.Quote(c.Name), c.Type, c.Rule))
            );
            await using (
                var reader = await sourceConnection.BeginRawBinaryCopyAsync(
                    $"COPY (SELECT {select} FROM {table.Sql}) TO STDOUT (FORMAT binary)",
                    cancellationToken
                )
            )
            await using (
                var writer = await targetConnection.BeginRawBinaryCopyAsync(
                    $"COPY {table.Sql} ({columns}) FROM STDIN (FORMAT binary)",
                    cancellationToken
                )
            )
                await reader.CopyToAsync(writer, cancellationToken);
            var actual = await CountAsync(targetConnection, transaction, table, cancellationToken);
            if (actual != expected)
                throw new InvalidOperationException(
                    $"{table.QualifiedName}: {expected} row(s) in the source, {actual} on the target after COPY; " +
                    "rolled back, the target is as it was."
                );
            copied.Add((table.QualifiedName, actual));
        }

        foreach (var key in plan.CycleKeys)
            await ExecuteAsync(
                targetConnection,
                transaction,
                $"ALTER TABLE {key.Table} ADD CONSTRAINT {CopyTable.Quote(key.Name)} {key.Definition}",
                cancellationToken
            );
        var sequences = await CopySequencesAsync(
            sourceConnection,
            snapshot,
            targetConnection,
            transaction,
            plan,
            cancellationToken
        );

        await transaction.CommitAsync(cancellationToken);
        return new CopyResult(copied, sequences, watch.Elapsed);
    }

    private static async Task<NpgsqlConnection> OpenAsync(
        string connectionString,
        string role,
        CancellationToken cancellationToken
    )
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
            { ApplicationName = $"{ApplicationName} {role}", Pooling = false, CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SET search_path = pg_catalog", cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string sql,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CountAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CopyTable table,
        CancellationToken cancellationToken
    )
    {
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table.Sql}", connection, transaction);
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<List<CopyTable>> ReadTablesAsync(
        NpgsqlConnection connection,
        CopySettings settings,
        CancellationToken cancellationToken
    )
    {
        const string sql = """
            SELECT c.oid, n.nspname, c.relname, greatest(c.reltuples, 0)::bigint,
                   EXISTS (SELECT 1 FROM pg_constraint p WHERE p.conrelid = c.oid AND p.contype = 'p')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND (n.nspname = ANY($1) OR n.nspname || '.' || c.relname = ANY($2))
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND
                  d.deptype = 'e')
            ORDER BY 2, 3
            """;
        var found = new List<(uint Oid, string Schema, string Name, long Estimate, bool HasKey)>();
        await using (
            var command = new NpgsqlCommand(sql, connection)
            {
                Parameters =
                {
                    new() { Value = settings.Schemas.ToArray() },
                    new() { Value = settings.Tables.ToArray() },
                },
            }
        )
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                found.Add(
                    (
                        reader.GetFieldValue<uint>(0),
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.GetInt64(3),
                        reader.GetBoolean(4)
                    )
                );
        var missing = settings.Tables.Where(t => !found.Any(f => $"{f.Schema}.{f.Name}" == t)).ToList();
        if (missing.Count > 0)
            throw new CopyRefusedException(
                $"data.copy.tables names table(s) the source does not have: {string.Join(", ", missing)}."
            );

        var tables = new List<CopyTable>();
        foreach (var table in found.Where(f => !settings.ExcludeTables.Contains($"{f.Schema}.{f.Name}")))
        {
            var columns = new List<CopyColumn>();
            // Generated columns are computed by the target; COPY cannot write them.
            await using var command = new NpgsqlCommand(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1 AND attnum > " +
                "0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                connection
            )
            {
                Parameters =
                {
                    new() { Value = table.Oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid },
                },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                columns.Add(
                    new CopyColumn(
                        name,
                        reader.GetString(1),
                        settings.Anonymize.GetValueOrDefault($"{table.Schema}.{table.Name}.{name}")
                    )
                );
            }
            tables.Add(new CopyTable(table.Schema, table.Name, columns, table.Estimate, table.HasKey));
        }
        return tables;
    }

    private static async Task CheckTargetColumnsAsync(
        NpgsqlConnection target,
        IReadOnlyList<CopyTable> tables,
        CancellationToken cancellationToken
    )
    {
        var problems = new List<string>();
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand(
                "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT " +
                "attisdropped AND attgenerated = ''",
                target
            )
            {
                Parameters = { new() { Value = table.Sql } },
            };
            var columns = new HashSet<string>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                    columns.Add(reader.GetString(0));
            if (columns.Count == 0)
                problems.Add($"{table.QualifiedName} does not exist on the target");
            else if (
                table.Columns.Where(c => !columns.Contains(c.Name)).Select(c => c.Name).ToList() is
                { Count: > 0 } absent
            )
                problems.Add($"{table.QualifiedName} lacks column(s) {string.Join(", ", absent)} on the target");
        }
        if (problems.Count > 0)
            throw new CopyRefusedException(
                "the target's schema differs from the source's: "
                    + string.Join("; ", problems)
                    + ". Apply the same migrations to both first (ApplyMigrations, MigrationStatus, " +
                    "DetectSchemaDrift --against)."
            );
    }

    private static async Task<
        List<(string Table, string Name, string Referenced, string Definition)>
    > ReadForeignKeysAsync(
        NpgsqlConnection target,
        IReadOnlyList<CopyTable> tables,
        CancellationToken cancellationToken
    )
    {
        const string sql = """
            SELECT quote_ident(cn.nspname) || '.' || quote_ident(c.relname), cn.nspname || '.' || c.relname,
                con.conname,
                   rn.nspname || '.' || r.relname, pg_get_constraintdef(con.oid)
            FROM pg_constraint con
            JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
            JOIN pg_class r ON r.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
            WHERE con.contype = 'f'
            ORDER BY 2, 3
            """;
        var names = tables.Select(t => t.QualifiedName).ToHashSet(StringComparer.Ordinal);
        var keys = new List<(string, string, string, string)>();
        await using var command = new NpgsqlCommand(sql, target);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            if (names.Contains(reader.GetString(1)) && names.Contains(reader.GetString(3)))
                keys.Add((reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        return keys;
    }

    /// <summary>
    /// Referenced tables first. A self-reference needs nothing (COPY checks it once the statement ends); in a cycle,
    /// the table with the fewest unloaded parents goes next and its keys to them are marked to drop and re-add.
    /// </summary>
    internal static CopyPlan Order(
        IReadOnlyList<CopyTable> tables,
        IReadOnlyList<(string Table, string Name, string Referenced, string Definition)> keys
    )
    {
        var byName = tables.ToDictionary(t => t.QualifiedName, StringComparer.Ordinal);
        var remaining = new SortedSet<string>(byName.Keys, StringComparer.Ordinal);
        var ordered = new List<CopyTable>();
        var cycleKeys = new HashSet<(string, string)>();
        while (remaining.Count > 0)
        {
            IEnumerable<string> Parents(string table) =>
                keys.Where(k => k.Table == table && k.Referenced != table && remaining.Contains(k.Referenced))
                    .Select(k => k.Referenced)
                    .Distinct();
            var next =
                remaining.FirstOrDefault(t => !Parents(t).Any())
                ?? remaining.OrderBy(t => Parents(t).Count()).ThenBy(t => t, StringComparer.Ordinal).First();
            foreach (
                var key in keys.Where(k => k.Table == next && k.Referenced != next && remaining.Contains(k.Referenced))
            )
                cycleKeys.Add((key.Table, key.Name));
            ordered.Add(byName[next]);
            remaining.Remove(next);
        }
        var foreignKeys = keys.Select(k => new CopyForeignKey(
                byName[k.Table].Sql,
                k.Name,
                k.Referenced,
                k.Definition,
                cycleKeys.Contains((k.Table, k.Name))
            ))
            .ToList();
        return new CopyPlan(ordered, foreignKeys);
    }

    private async Task<List<string>> CopySequencesAsync(
        NpgsqlConnection source,
        NpgsqlTransaction snapshot,
        NpgsqlConnection target,
        NpgsqlTransaction transaction,
        CopyPlan plan,
        CancellationToken cancellationToken
    )
    {
        // Sequences owned by a copied table's column: serial (dependency 'a') and identity ('i').
        const string sql = """
            SELECT quote_ident(sn.nspname) || '.' || quote_ident(s.relname)
            FROM pg_class s JOIN pg_namespace sn ON sn.oid = s.relnamespace
            JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.refclassid =
                'pg_class'::regclass AND d.deptype IN ('a', 'i')
            JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
            WHERE s.relkind = 'S' AND tn.nspname || '.' || t.relname = ANY($1)
            ORDER BY 1
            """;
        var sequences = new List<string>();
        await using (
            var command = new NpgsqlCommand(sql, source, snapshot)
            {
                Parameters = { new() { Value = plan.Tables.Select(t => t.QualifiedName).ToArray() } },
            }
        )
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) sequences.Add(reader.GetString(0));
        foreach (var sequence in sequences)
        {
            long lastValue;
            bool isCalled;
            await using (
                var read = new NpgsqlCommand($"SELECT last_value, is_called FROM {sequence}", source, snapshot)
            )
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                (lastValue, isCalled) = (reader.GetInt64(0), reader.GetBoolean(1));
            }
            await using var set = new NpgsqlCommand("SELECT setval($1::regclass, $2, $3)", target, transaction)
            {
                Parameters =
                {
                    new() { Value = sequence },
                    new() { Value = lastValue },
                    new() { Value = isCalled },
                },
            };
            await set.ExecuteScalarAsync(cancellationToken);
        }
        if (sequences.Count > 0) progress($"  {sequences.Count} sequence(s) set to the source's position");
        return sequences;
    }
}
