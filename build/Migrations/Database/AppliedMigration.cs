using System.Data;
using System.Security.Cryptography;
using System.Text;
using Build.Migrations.Sql;
using SqlScript = DbUp.Engine.SqlScript;
using DbUp.Engine;
using DbUp.Engine.Transactions;
using Npgsql;

namespace Build.Migrations.Database;

/// <summary>One row of <c>supabase_migrations.schema_migrations</c>.</summary>
public sealed record AppliedMigration(
    string Version,
    string? Name,
    IReadOnlyList<string>? Statements,
    DateTimeOffset? AppliedAt,
    string? AppliedBy
)
{
    public string FileName => MigrationNames.FileName(Version, Name);
}
