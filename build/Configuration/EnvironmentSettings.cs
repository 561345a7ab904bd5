using System.Text.Json.Serialization;

namespace Build.Configuration;

/// <summary>The whole of <c>build/environments.json</c>.</summary>
public sealed class EnvironmentsFile
{
    [JsonPropertyName("$schema")] public string? Schema { get; set; }
    public ProjectSettings Project { get; set; } = new();
    public Dictionary<string, EnvironmentSettings> Environments { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Environments allowed to share one Supabase project or database, each with the reason why.</summary>
    public List<SharedDatabaseAcceptance> AcceptedSharedDatabases { get; set; } = [];
    /// <summary>Branch protection, CODEOWNERS and GitHub environments (ConfigureGitHub); null: not managed.</summary>
    [JsonPropertyName("github")] public GitHubSettings? GitHub { get; set; }
}

public sealed class ProjectSettings
{
    public string Name { get; set; } = "";
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
    public string Entry { get; set; } = "server.js";
}

public sealed class SharedDatabaseAcceptance
{
    public List<string> Environments { get; set; } = [];
    public string Reason { get; set; } = "";
}

public sealed class EnvironmentSettings
{
    /// <summary>The key in <c>environments</c> (filled in after loading).</summary>
    [JsonIgnore] public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>Git branch this environment is built from.</summary>
    public string? Branch { get; set; }
    /// <summary>Prefix of this environment's secret variables, for example STAGING (STAGING_DATABASE_URL).</summary>
    public string SecretPrefix { get; set; } = "";
    /// <summary>Supabase project ref (20 lower-case letters), or null for a database of our own (local).</summary>
    public string? SupabaseProjectRef { get; set; }
    public bool Deploys { get; set; }
    public bool RequiresApproval { get; set; }
    /// <summary>Seed <c>supabase/seed.sql</c> after migrations.</summary>
    public bool Seed { get; set; }
    public VpsSettings? Vps { get; set; }
    /// <summary>This environment's own app, instead of <c>project.app</c> (the local rehearsal packs a small Node app).</summary>
    public AppSettings? App { get; set; }
    public string? PublicUrl { get; set; }
    public List<string> HealthUrls { get; set; } = [];
    public BackupSettings Backup { get; set; } = new();
    public NotificationSettings Notifications { get; set; } = new();
    public MigrationSettings Migrations { get; set; } = new();
}

public sealed class VpsSettings
{
    /// <summary>"ssh" (SSH.NET to each host) or "local" (the same steps on this machine, no SSH).</summary>
    public string Transport { get; set; } = "ssh";
    /// <summary>Hosts; empty means the one from the VPS_HOST secret.</summary>
    public List<string> Hosts { get; set; } = [];
    public int SshPort { get; set; } = 22;
    public string? User { get; set; }
    public string BasePath { get; set; } = "";
    public string Pm2AppName { get; set; } = "";
    /// <summary>"bluegreen" (start beside the old release, switch Nginx when healthy) or "reload" (pm2 startOrReload).</summary>
    public string Strategy { get; set; } = "bluegreen";
    /// <summary>The two ports blue/green alternate between; the first one alone for "reload".</summary>
    public List<int> Ports { get; set; } = [3000, 3001];
    public int Instances { get; set; } = 2;
    public int KeepReleases { get; set; } = 5;
    /// <summary>Nginx upstream include file the deploy rewrites (blue/green).</summary>
    public string? NginxUpstreamFile { get; set; }
    public string NginxReloadCommand { get; set; } = "nginx -s reload";
    /// <summary>The root-owned helper that points the upstream at a port (least privilege); replaces writing the include.</summary>
    public string? NginxSwitchCommand { get; set; }
    /// <summary>Health path probed on the new release's own port before it takes traffic.</summary>
    public string HealthPath { get; set; } = "/api/health";
    /// <summary>PM2 executable on the host (a full path when it is not on a non-interactive ssh PATH, e.g. nvm).</summary>
    public string Pm2Command { get; set; } = "pm2";
    /// <summary>PM2_HOME on the host; null for PM2's default (~/.pm2). Relative paths (local transport) are under the repository.</summary>
    public string? Pm2Home { get; set; }
    /// <summary>How long a deploy waits for another deploy's lock on a host before failing.</summary>
    public int LockWaitSeconds { get; set; } = 120;
    /// <summary>Deadline of the on-host health check of a new release.</summary>
    public int HealthTimeoutSeconds { get; set; } = 60;
    /// <summary>PM2 listen_timeout in seconds (how long PM2 waits for process.send('ready')).</summary>
    public int ListenTimeoutSeconds { get; set; } = 30;
    /// <summary>PM2 wait_ready: the app calls process.send('ready') once it listens.</summary>
    public bool WaitReady { get; set; } = true;
    /// <summary>Seconds between switching Nginx and stopping the old color, so in-flight requests finish.</summary>
    public int DrainSeconds { get; set; } = 2;
    /// <summary>Blue/green: the previous release's processes keep running (no traffic) after a switch, so that a rollback
    /// is a switch back. Costs the memory of one more set of app processes.</summary>
    public bool KeepPreviousWarm { get; set; } = true;
    /// <summary>Files linked from &lt;basePath&gt;/shared into every release.</summary>
    public List<string> SharedFiles { get; set; } = [".env"];
    /// <summary>Directories linked from &lt;basePath&gt;/shared into every release (user uploads).</summary>
    public List<string> SharedDirectories { get; set; } = ["uploads"];
    /// <summary>The host key algorithm whose SHA256 fingerprint VPS_HOST_KEY pins (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub).</summary>
    public string HostKeyAlgorithm { get; set; } = "ssh-ed25519";
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
