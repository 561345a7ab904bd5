namespace Build.Migrations.Lint;

/// <summary>
/// Lints a migrations folder and decides the outcome: error-level findings (and file name errors) fail the run only
/// when it is strict (production, or asked for); otherwise they are reported as warnings. Allowed findings never fail.
/// </summary>
public sealed record MigrationLintRun(
    string Directory,
    IReadOnlyList<MigrationFile> Files,
    IReadOnlyList<MigrationFileProblem> FileProblems,
    IReadOnlyList<LintFinding> Findings,
    bool Strict)
{
    /// <summary>
    /// Loads <paramref name="migrationsDirectory"/> and lints it. With <paramref name="since"/>, only files whose
    /// version is later form the batch (deployed together); without, every file is judged on its own (tables from
    /// earlier files are assumed to exist and hold data).
    /// </summary>
    public static MigrationLintRun Execute(string migrationsDirectory, bool strict, string? since = null)
    {
        var contents = MigrationDirectory.Load(migrationsDirectory);
        var files = since is null
            ? contents.Files
            : contents.Files.Where(f => MigrationVersion.Compare(f.Version, since) > 0).ToList();
        var findings = MigrationLinter.Lint(files, new LintOptions { EachFileIsItsOwnBatch = since is null });
        return new MigrationLintRun(migrationsDirectory, files, contents.Problems, findings, strict);
    }

    public IEnumerable<LintFinding> Blocking => Findings.Where(f => f.BlocksProduction);
    public IEnumerable<MigrationFileProblem> FileErrors => FileProblems.Where(p => p.IsError);

    /// <summary>Whether the run must fail: only when strict, and then for any unallowed error or file name
    /// error.</summary>
    public bool Fails => Strict && (Blocking.Any() || FileErrors.Any());

    /// <summary>How a finding is shown: errors are errors only when strict, else warnings; allowed ones are
    /// notes.</summary>
    public LintOutcome OutcomeOf(LintFinding finding) =>
        finding.IsAllowed ? LintOutcome.Note
        : finding.Severity == LintSeverity.Error && Strict ? LintOutcome.Error
        : LintOutcome.Warning;

    public string Summary()
    {
        var errors = Findings.Count(f => f.Severity == LintSeverity.Error && !f.IsAllowed);
        var warnings = Findings.Count(f => f.Severity == LintSeverity.Warning && !f.IsAllowed);
        var allowed = Findings.Count(f => f.IsAllowed);
        var names = FileErrors.Count();
        return $"Linted {Files.Count} migration file(s): {errors} error(s), {warnings} warning(s), {allowed} allowed " +
            "by marker"
            + (names > 0 ? $", {names} file name error(s)" : "")
            + (
                Fails ? " - blocking"
                : errors + names > 0 ? " - not blocking (errors block only production deploys or --strict)"
                : ""
            );
    }
}
