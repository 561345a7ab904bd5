using System.Reflection;
using Build.Migrations.Sql;

namespace Build.Migrations.Platform;

/// <summary>One extension the replay can stand in for: what the stand-in provides, its SQL, and how to drop
/// it.</summary>
public sealed record ExtensionStandIn(string Name, string Provides, string? FixedSchema, string DropSql)
{
    /// <summary>The stand-in's SQL (embedded <c>StandIns/&lt;name&gt;.sql</c>) for <paramref name="schema"/>.</summary>
    public string Sql(string schema) =>
        ExtensionStandIns.Resource(Name).Replace("@extschema@", Quote(FixedSchema ?? schema));

    public string Drop(string schema) => DropSql.Replace("@extschema@", Quote(FixedSchema ?? schema));

    internal static string Quote(string identifier) =>
        identifier.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_')
        && identifier.Length > 0
        && !char.IsDigit(identifier[0])
            ? identifier
            : "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
