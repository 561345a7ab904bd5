using System.Data;
using System.Security.Cryptography;
using System.Text;
using Build.Migrations.Sql;
using SqlScript = DbUp.Engine.SqlScript;
using DbUp.Engine;
using DbUp.Engine.Transactions;
using Npgsql;

namespace Build.Migrations.Database;

/// <summary>The script names DbUp sees: the migration's own file name,
/// <c>&lt;version&gt;_&lt;name&gt;.sql</c>.</summary>
public static class MigrationNames
{
    public static string FileName(string version, string? name) =>
        string.IsNullOrEmpty(name) ? $"{version}.sql" : $"{version}_{name}.sql";

    public static (string Version, string Name) Parse(string scriptName)
    {
        var file = Path.GetFileNameWithoutExtension(scriptName);
        var underscore = file.IndexOf('_');
        return underscore < 0 ? (file, "") : (file[..underscore], file[(underscore + 1)..]);
    }
}
