using Build.Data;
using Build.Gates;
using Build.Migrations.Database;
using Build.Secrets;
using Npgsql;

namespace Build.Tasks;

[TaskName(nameof(CopyData))]
[TaskDescription(
    "Copies data.copy's tables from --from=<env> to --to=<env> with COPY, in foreign-key order, in one transaction " +
    "on the target (all or nothing), identity and generated columns and sequences included, anonymisation rules " +
    "applied, every table's row count verified; never into production or a database shared with it; replacing rows " +
    "needs --confirm=<to>; --plan shows tables, order and estimated rows"
)]
[TaskArgument<string>("from", "The environment to copy from", Placeholder = "ENV")]
[TaskArgument<string>("to", "The environment to copy into (never production)", Placeholder = "ENV")]
[TaskArgument<string>(
    "confirm",
    "Type the target's name: its rows in the copied tables are replaced",
    Placeholder = "ENV"
)]
[TaskArgument<bool>(
    "plan",
    "Only show the tables, their load order and estimated rows; change nothing (what --dryrun shows for this target)"
)]
public sealed class CopyData : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var (from, to, source, target) = Resolve(context);
        var copier = new DataCopier(line => context.Information("{0}", line));
        var plan = await DataCopier.PlanAsync(source, target, context.Config.Project.Data.Copy);
        Print(context, from, to, plan);
        if (context.Flag("plan")) return;

        context.Information(
            "Copying {0} table(s) from '{1}' to '{2}' in one transaction on '{2}':",
            plan.Tables.Count,
            from,
            to
        );
        CopyResult result;
        try { result = await copier.CopyAsync(source, target, plan, replace: context.Arg("confirm") == to); }
        catch (CopyNeedsConfirmationException e)
        {
            throw new InvalidOperationException(
                $"CopyData replaces '{to}''s rows in these tables, and {e.Message}: run it again with --confirm={to} " +
                "if that is intended. Nothing was changed."
            );
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            throw new InvalidOperationException(
                $"CopyData failed and its transaction on '{to}' was not committed: '{to}' is as it was. {Innermost(e)}",
                e
            );
        }
        context.Information(
            "Copied {0} row(s) in {1} table(s) from '{2}' to '{3}' in {4:0.0} s ({5:0} rows/s); every table's count " +
            "matches the source.",
            result.Rows,
            result.Tables.Count,
            from,
            to,
            result.Duration.TotalSeconds,
            result.Rows / Math.Max(result.Duration.TotalSeconds, 0.001)
        );
        context.Ci.Summary(
            $"### CopyData {from} → {to}\n\n| table | rows |\n|---|---:|\n"
                + string.Join("\n", result.Tables.Select(t => $"| `{t.Table}` | {t.Rows} |"))
                + "\n"
        );
    }

    /// <summary>--dryrun: the plan, read from both databases; nothing written.</summary>
    public override async Task<IReadOnlyList<string>> PlanAsync(BuildContext context)
    {
        var (from, to, source, target) = Resolve(context);
        return Lines(
            from,
            to,
            await DataCopier.PlanAsync(source, target, context.Config.Project.Data.Copy)
        );
    }

    private static void Print(BuildContext context, string from, string to, CopyPlan plan)
    {
        foreach (var line in Lines(from, to, plan)) context.Information("{0}", line);
    }

    private static List<string> Lines(string from, string to, CopyPlan plan)
    {
        var lines = new List<string>
        {
            $"CopyData plan, '{from}' → '{to}', in this order (estimated rows from the source's statistics):",
        };
        var width = plan.Tables.Max(t => t.QualifiedName.Length);
        var step = 0;
        foreach (var table in plan.Tables)
        {
            var notes = new List<string>();
            if (!table.HasPrimaryKey)
                notes.Add("no primary key");
            if (
                table.Columns.Where(c => c.Rule is not null).Select(c => $"{c.Name}: {c.Rule}").ToList() is
                { Count: > 0 } rules
            )
                notes.Add("anonymised " + string.Join(", ", rules));
            if (plan.CycleKeys.Where(k => k.Table == table.Sql).Select(k => k.Name).ToList() is { Count: > 0 } cycle)
                notes.Add("cycle: re-checks " + string.Join(", ", cycle) + " after the load");
            lines.Add(
                $"  {++step, 3}. {table.QualifiedName.PadRight(width)} ~{table.EstimatedRows} row(s)" +
                $"{(notes.Count > 0 ? "  (" + string.Join("; ", notes) + ")" : "")}"
            );
        }
        return lines;
    }

    private static (string From, string To, string Source, string Target) Resolve(BuildContext context)
    {
        var from =
            context.Arg("from")
            ?? throw new InvalidOperationException(
                "CopyData needs --from=<env> and --to=<env>, e.g. --from=production --to=staging."
            );
        var to =
            context.Arg("to")
            ?? throw new InvalidOperationException(
                "CopyData needs --to=<env> (the environment whose data is replaced)."
            );
        foreach (var name in new[] { from, to })
            if (!context.Config.Environments.ContainsKey(name))
                throw new InvalidOperationException(
                    $"'{name}' is not an environment of {Path.GetFileName(context.ConfigPath)} (" +
                    $"{string.Join(", ", context.Config.Environments.Keys)})."
                );
        if (from == to)
            throw new InvalidOperationException($"--from and --to are both '{from}'.");
        var gates = EnvironmentGates.For(context.Config, to);
        if (gates.RequiresApproval)
            throw new InvalidOperationException(
                $"CopyData never writes into production: {gates.Reason}. Copy into staging or local instead. Nothing " +
                "was changed."
            );

        string Url(string environment)
        {
            var settings = context.Config.Environments[environment];
            return DatabaseUrl.ToConnectionString(context.SecretsFor(settings).Require(SecretName.DatabaseUrl));
        }
        var (source, target) = (Url(from), Url(to));
        var (s, t) = (new NpgsqlConnectionStringBuilder(source), new NpgsqlConnectionStringBuilder(target));
        if (
            string.Equals(s.Host, t.Host, StringComparison.OrdinalIgnoreCase)
            && s.Port == t.Port
            && s.Database == t.Database
        )
            throw new InvalidOperationException(
                $"'{from}' and '{to}' point at the same database ({DatabaseUrl.Describe(target)}): a copy onto " +
                "itself would empty it."
            );
        foreach (var protectedEnvironment in context.Config.Environments.Values.Where(e => e.RequiresApproval))
            if (context.SecretsFor(protectedEnvironment).Get(SecretName.DatabaseUrl) is { } url
                && new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(url)) is var p
                && string.Equals(p.Host, t.Host, StringComparison.OrdinalIgnoreCase)
                && p.Port == t.Port
                && p.Database == t.Database
            )
                throw new InvalidOperationException(
                    $"'{to}''s database is '{protectedEnvironment.Name}''s ({DatabaseUrl.Describe(target)}): " +
                    "CopyData never writes into it. Nothing was changed."
                );
        return (from, to, source, target);
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e is PostgresException pg
            ? $"{pg.SqlState}: {pg.MessageText}{(pg.Detail is { } d ? $" ({d})" : "")}"
            : e.Message;
    }
}
