using System.Text;
using System.Text.RegularExpressions;

namespace Build.Migrations;

/// <summary>The result of reading a migrations folder: the valid files in the CLI's order, and what is wrong.</summary>
public sealed record MigrationDirectoryContents(
    string Directory,
    IReadOnlyList<MigrationFile> Files,
    IReadOnlyList<MigrationFileProblem> Problems
)
{
    public bool HasErrors => Problems.Any(p => p.IsError);
}
