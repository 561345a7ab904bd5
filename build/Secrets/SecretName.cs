namespace Build.Secrets;

/// <summary>Every secret the suite knows. Values come from environment variables (or a git-ignored
/// <c>.env.&lt;env&gt;</c>), never from <c>environments.json</c>.</summary>
public enum SecretName
{
    SupabaseUrl,
    SupabaseAnonKey,
    SupabaseServiceRoleKey,
    DatabaseUrl,
    VpsHost,
    VpsUser,
    VpsSshKey,
    VpsHostKey,
    SlackWebhookUrl,
    DiscordWebhookUrl,
    SupabaseAccessToken,
    GitHubToken,
    /// <summary>Next.js server actions key, given to the build (Next bakes it into the build output).</summary>
    ServerActionsEncryptionKey,
}
