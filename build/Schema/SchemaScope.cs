using Npgsql;

namespace Build.Schema;

/// <summary>What to read: the schemas left out (Supabase's own) and the roles whose grants count.</summary>
public sealed record SchemaScope(IReadOnlyList<string> ExcludedSchemas, IReadOnlyList<string> Grantees)
{
    public static readonly IReadOnlyList<string> ApiRoles = ["anon", "authenticated", "service_role"];
}
