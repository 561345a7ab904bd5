using Build.Migrations.Lint;

namespace Build.Tasks;

[TaskName(nameof(LintMigrations))]
[TaskDescription(
    "Lints supabase/migrations (drops, renames, type changes, locking DDL, tables without RLS); errors fail only " +
    "--env=production or --strict; --since=VERSION lints the later files as one batch"
)]
[TaskArgument<bool>("strict", "Lint errors fail the run on any environment (they always do on production)")]
[TaskArgument<string>("since", "Lint only the migrations after this version, as one batch", Placeholder = "VERSION")]
public sealed class LintMigrations : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var directory = context.InRepository(context.Config.Project.MigrationsPath);
        var strict = context.EnvironmentName == "production" || context.Flag("strict");
        var run = MigrationLintRun.Execute(directory, strict, context.Arg("since"));

        foreach (var problem in run.FileProblems)
        {
            var file = Relative(context, Path.Combine(directory, problem.File));
            var code = problem.Line is null ? "file-name" : "file-encoding";
            var message =
                $"{file}{(problem.Line is { } l ? $":{l}" : "")}: {(problem.IsError ? "error" : "warning")} {code}: " +
                $"{problem.Message}";
            if (problem.IsError && strict)
            {
                context.Error(message);
                context.Ci.Error(problem.Message, file, problem.Line, title: code);
            }
            else
            {
                context.Warning(message);
                context.Ci.Warning(problem.Message, file, problem.Line, title: code);
            }
        }

        foreach (var finding in run.Findings.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line))
        {
            var file = Relative(context, finding.File);
            var line = finding.Format(file);
            var annotation = $"{finding.RuleId}: {finding.Message} ({finding.Hint})";
            switch (run.OutcomeOf(finding))
            {
                case LintOutcome.Error:
                    context.Error(line);
                    context.Ci.Error(annotation, file, finding.Line, finding.Column, finding.RuleId);
                    break;
                case LintOutcome.Warning:
                    context.Warning(line);
                    context.Ci.Warning(annotation, file, finding.Line, finding.Column, finding.RuleId);
                    break;
                default:
                    context.Information(line);
                    break;
            }
        }

        context.Information(run.Summary());
        if (context.Ci.IsGitHubActions && run.Findings.Count > 0) context.Ci.Summary(MarkdownTable(context, run));
        if (run.Fails)
            throw new InvalidOperationException(
                $"Migration lint found {run.Blocking.Count() + run.FileErrors.Count()} blocking error(s) for '" +
                $"{context.EnvironmentName}'. "
                    + "Fix them, or mark a deliberate change with '-- lint:allow <rule-id> reason: <why>' in the " +
                    "file (docs/migrations-lint.md)."
            );
    }

    private static string Relative(BuildContext context, string path) =>
        Path.GetRelativePath(context.RepositoryRoot, path).Replace('\\', '/');

    private static string MarkdownTable(BuildContext context, MigrationLintRun run)
    {
        var rows = run.Findings.Select(f =>
            $"| {run.OutcomeOf(f).ToString().ToLowerInvariant()} | `{f.RuleId}` | {Relative(context, f.File)}:" +
            $"{f.Line} | {f.Message.Replace("|", "\\|")} |"
        );
        return "### Migration lint\n\n| level | rule | where | finding |\n|---|---|---|---|\n"
            + string.Join('\n', rows)
            + "\n\n"
            + run.Summary()
            + "\n";
    }
}
