using Npgsql;

namespace Build.Migrations.Database;

/// <summary>The checks found problems; nothing was changed. <see cref="Problems"/> has one entry per finding.</summary>
public sealed class MigrationCheckException(IReadOnlyList<MigrationProblem> problems)
    : Exception(
        $"Migration checks failed ({problems.Count(p => p.IsError)} error(s)), nothing was changed:\n"
            + string.Join("\n", problems.Select(p => p.ToString()))
    )
{
    public IReadOnlyList<MigrationProblem> Problems { get; } = problems;
}
