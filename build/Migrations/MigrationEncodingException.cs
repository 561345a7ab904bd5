using System.Text;
using System.Text.RegularExpressions;

namespace Build.Migrations;

/// <summary>A migration, seed or down script that is not plain UTF-8, with where the first bad byte is.</summary>
public sealed class MigrationEncodingException(string file, int line, int byteOffset, string problem)
    : Exception($"{Database.MigrationHistoryCheck.Relative(file)}:{line}: {problem}"), IFileLocated
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public int ByteOffset { get; } = byteOffset;
    /// <summary>The message without the file:line prefix.</summary>
    public string Problem { get; } = problem;
    string? IFileLocated.File => File;
    int? IFileLocated.Line => Line;
    int? IFileLocated.Column => null;
}
