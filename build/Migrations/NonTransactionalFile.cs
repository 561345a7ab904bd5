using System.Text.RegularExpressions;
using Build.Migrations.Sql;

namespace Build.Migrations;

/// <summary>A file that must run on its own, outside the batch transaction, and why (with the line that causes
/// it).</summary>
public sealed record NonTransactionalFile(MigrationFile File, string Reason, int Line)
{
    public override string ToString() => $"{File.FileName}:{Line}: {Reason}";
}
