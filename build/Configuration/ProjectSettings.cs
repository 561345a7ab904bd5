namespace Build.Configuration;

/// <summary><c>project</c>: what every environment shares (paths, the app).</summary>
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
