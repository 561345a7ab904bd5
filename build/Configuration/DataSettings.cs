namespace Build.Configuration;

/// <summary><c>project.data</c>: which schemas are Supabase's own, and what CopyData copies.</summary>
public sealed class DataSettings
{
    /// <summary>Supabase's own schemas (and those of its extensions), as a hosted project has them.</summary>
    public static readonly IReadOnlyList<string> DefaultPlatformSchemas =
    [
        "auth",
        "storage",
        "realtime",
        "_realtime",
        "vault",
        "extensions",
        "graphql",
        "graphql_public",
        "pgsodium",
        "pgsodium_masks",
        "pgbouncer",
        "net",
        "supabase_functions",
        "supabase_migrations",
        "cron",
        "_analytics",
        "pgtle",
        "tiger",
        "tiger_data",
        "topology",
    ];

    /// <summary>Left out of DetectSchemaDrift, RestoreDb and CopyData; null:
    /// <see cref="DefaultPlatformSchemas"/>.</summary>
    public List<string>? PlatformSchemas { get; set; }

    public CopySettings Copy { get; set; } = new();

    public IReadOnlyList<string> EffectivePlatformSchemas => PlatformSchemas ?? DefaultPlatformSchemas;
}
