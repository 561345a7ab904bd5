using Npgsql;

namespace Build.Migrations.Database;

/// <summary>One finding of a check, pointing at a file (and line) where there is one.</summary>
public sealed record MigrationProblem(
    string Code, string Message, string? File = null, int? Line = null, int? Column = null,
    MigrationProblemSeverity Severity = MigrationProblemSeverity.Error)
{
    public bool IsError => Severity == MigrationProblemSeverity.Error;

    public override string ToString()
    {
        var level = IsError ? "error" : "warning";
        return File is null ? $"{level} [{Code}] {Message}"
            : $"{MigrationHistoryCheck.Relative(File)}{(Line is { } l ? $":{l}" : "")}" +
                $"{(Column is { } c ? $":{c}" : "")}: {level} [{Code}] {Message}";
    }
}
