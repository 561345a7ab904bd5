using System.Text.Json.Serialization;

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
