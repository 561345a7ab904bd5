using System.Data;
using System.Security.Cryptography;
using System.Text;
using Build.Migrations.Sql;
using SqlScript = DbUp.Engine.SqlScript;
using DbUp.Engine;
using DbUp.Engine.Transactions;
using Npgsql;

namespace Build.Migrations.Database;

/// <summary>DbUp script provider over a list of migration files (names are the file names, contents
/// untouched).</summary>
public sealed class MigrationScriptProvider(IEnumerable<MigrationFile> files) : IScriptProvider
{
    public IEnumerable<SqlScript> GetScripts(IConnectionManager connectionManager) =>
        files.OrderBy(f => f.Version, StringComparer.Ordinal)
             .Select(f => new SqlScript(MigrationNames.FileName(f.Version, f.Name), f.Content));
}
