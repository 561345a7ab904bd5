using System.Text;
using System.Text.RegularExpressions;

namespace Build.Migrations;

/// <summary>Something wrong with the migrations folder; <see cref="File"/> is the file name it concerns.</summary>
public sealed record MigrationFileProblem(
    string File,
    MigrationProblemSeverity Severity,
    string Message,
    int? Line = null
)
{
    public bool IsError => Severity == MigrationProblemSeverity.Error;

    public override string ToString() =>
        $"{File}{(Line is { } l ? $":{l}" : "")}: {(IsError ? "error" : "warning")}: {Message}";
}
