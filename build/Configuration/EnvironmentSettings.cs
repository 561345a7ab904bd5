using System.Text.Json.Serialization;
using Build.Deploy;

namespace Build.Configuration;

/// <summary>The whole of <c>build/environments.json</c>.</summary>
public sealed class EnvironmentsFile
{
    [JsonPropertyName("$schema")] public string? Schema { get; set; }
    public required ProjectSettings Project { get; set; }
    public required Dictionary<string, EnvironmentSettings> Environments { get; set; }
    /// <summary>Environments allowed to share one Supabase project or database, each with the reason why.</summary>
    public List<SharedDatabaseAcceptance> AcceptedSharedDatabases { get; set; } = [];
    /// <summary>Branch protection, CODEOWNERS and GitHub environments (ConfigureGitHub); null: not managed.</summary>
    [JsonPropertyName("github")] public GitHubSettings? GitHub { get; set; }
}

public sealed class ProjectSettings
{
    public required string Name { get; set; }
    /// <summary>GitHub repository as owner/name.</summary>
    public string? Repository { get; set; }
    public string MigrationsPath { get; set; } = "supabase/migrations";
    public string RollbacksPath { get; set; } = "supabase/rollbacks";
    public string SeedPath { get; set; } = "supabase/seed.sql";
    public AppSettings App { get; set; } = new();
    public DataSettings Data { get; set; } = new();
}

/// <summary>How the web app is built and packed (PackageApp).</summary>
public sealed class AppSettings
{
    /// <summary>Folder of the app, relative to the repository root.</summary>
    public string Path { get; set; } = ".";
    public string BuildCommand { get; set; } = "";
    /// <summary>Paths (relative to <see cref="Path"/>) packed into the artifact, as source => destination in the release.</summary>
    public Dictionary<string, string> Pack { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Entry point started by PM2, relative to the release folder.</summary>
    public string Entry { get; set; } = DefaultEntry;

    public const string DefaultEntry = "server.js";
}

public sealed class SharedDatabaseAcceptance
{
    public required List<string> Environments { get; set; }
    public required string Reason { get; set; }
}

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
    /// <summary>This environment's own app, instead of <c>project.app</c> (the local rehearsal packs a small Node app).</summary>
    public AppSettings? App { get; set; }
    public string? PublicUrl { get; set; }
    public List<string> HealthUrls { get; set; } = [];
    public BackupSettings Backup { get; set; } = new();
    public NotificationSettings Notifications { get; set; } = new();
    public MigrationSettings Migrations { get; set; } = new();
}

public sealed class BackupSettings
{
    /// <summary>RestoreDb may overwrite this environment's database (off by default for an environment that requires approval).</summary>
    public bool AllowRestore { get; set; }
    public bool BeforeMigrations { get; set; }
    public int KeepDays { get; set; } = 14;
    public string Directory { get; set; } = "backups";
}

public sealed class NotificationSettings
{
    /// <summary>Channels: "slack", "discord". Each needs its webhook secret.</summary>
    public List<string> Channels { get; set; } = [];
}

public sealed class MigrationSettings
{
    public string LockTimeout { get; set; } = "5s";
    public string StatementTimeout { get; set; } = "60s";
    public int AdvisoryLockWaitSeconds { get; set; } = 120;
}
