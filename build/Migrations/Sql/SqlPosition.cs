using System.Text;

namespace Build.Migrations.Sql;

/// <summary>A place in a file: 0-based offset, 1-based line and column (columns count characters).</summary>
public readonly record struct SqlPosition(int Offset, int Line, int Column)
{
    public static SqlPosition At(string text, int offset) => new LineCursor(text).MoveTo(offset);
}
