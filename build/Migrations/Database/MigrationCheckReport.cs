namespace Build.Migrations.Database;

/// <summary>Everything the checks found, and what they looked at.</summary>
public sealed record MigrationCheckReport(IReadOnlyList<MigrationProblem> Problems, IReadOnlyList<string> Checked)
{
    public bool HasErrors => Problems.Any(p => p.IsError);
    public IEnumerable<MigrationProblem> Errors => Problems.Where(p => p.IsError);
    public IEnumerable<MigrationProblem> Warnings => Problems.Where(p => !p.IsError);

    public void ThrowIfErrors()
    {
        if (HasErrors) throw new MigrationCheckException(Problems.ToList());
    }
}
