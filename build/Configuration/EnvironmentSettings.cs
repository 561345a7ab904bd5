using System.Text.Json.Serialization;
using Build.Deploy;

namespace Build.Configuration;

/// <summary>One entry of <c>environments</c> in <c>build/environments.json</c>: local, dev, staging,
/// production.</summary>
public sealed class EnvironmentSettings
{
    /// <summary>The key in <c>environments</c> (filled in after loading).</summary>
    [JsonIgnore] public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>Git branch this environment is built from.</summary>
    public string? Branch { get; set; }
    /// <summary>Prefix of this environment's secret variables, for example STAGING (STAGING_DATABASE_URL).</summary>
    public required string SecretPrefix { get; set; }
    /// <summary>Supabase project ref (20 lower-case letters), or null for a database of our own (local).</summary>
    public string? SupabaseProjectRef { get; set; }
    public bool Deploys { get; set; }
    public bool RequiresApproval { get; set; }
    /// <summary>Seed <c>supabase/seed.sql</c> after migrations.</summary>
    public bool Seed { get; set; }
    /// <summary>Where and how it deploys; null: it does not.</summary>
    public DeploySettings? Vps { get; set; }
    /// <summary>This environment's own app, instead of <c>project.app</c> (the local rehearsal packs a small Node
    /// app).</summary>
    public AppSettings? App { get; set; }
    public string? PublicUrl { get; set; }
    public List<string> HealthUrls { get; set; } = [];
    public BackupSettings Backup { get; set; } = new();
    public NotificationSettings Notifications { get; set; } = new();
    public MigrationSettings Migrations { get; set; } = new();
}
