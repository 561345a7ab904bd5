using System.Text;

namespace Build.Migrations.Sql;

/// <summary>One statement as the Supabase CLI stores it, with where it starts in the file.</summary>
/// <param name="Text">The statement exactly as it lands in <c>schema_migrations.statements</c>.</param>
/// <param name="Offset">Index (UTF-16) of <paramref name="Text"/>'s first character in the file content.</param>
/// <param name="Line">1-based line of that first character.</param>
/// <param name="Column">1-based column (in characters) of that first character.</param>
public sealed record SplitStatement(string Text, int Offset, int Line, int Column)
{
    /// <summary>
    /// The file position of a PostgreSQL error position (1-based, counted in characters of this statement as the
    /// server reports it in <c>PostgresException.Position</c>).
    /// </summary>
    public SqlPosition PositionOf(int postgresPosition, string fileContent)
    {
        var index = Offset;
        for (var seen = 1; seen < postgresPosition && index < Offset + Text.Length; seen++)
            index += char.IsHighSurrogate(fileContent[index]) && index + 1 < fileContent.Length ? 2 : 1;
        return SqlPosition.At(fileContent, index);
    }
}
