namespace Build.Secrets;

/// <summary>How each secret is named as a variable.</summary>
public static class SecretNames
{
    /// <summary>Per-environment secrets: <c>&lt;PREFIX&gt;_NAME</c>.</summary>
    private static readonly Dictionary<SecretName, string> Scoped = new()
    {
        [SecretName.SupabaseUrl] = "SUPABASE_URL",
        [SecretName.SupabaseAnonKey] = "SUPABASE_ANON_KEY",
        [SecretName.SupabaseServiceRoleKey] = "SUPABASE_SERVICE_ROLE_KEY",
        [SecretName.DatabaseUrl] = "DATABASE_URL",
        [SecretName.VpsHost] = "VPS_HOST",
        [SecretName.VpsUser] = "VPS_USER",
        [SecretName.VpsSshKey] = "VPS_SSH_KEY",
        [SecretName.VpsHostKey] = "VPS_HOST_KEY",
    };

    /// <summary>Secrets shared by every environment: one unprefixed variable.</summary>
    private static readonly Dictionary<SecretName, string> Global = new()
    {
        [SecretName.SlackWebhookUrl] = "SLACK_WEBHOOK_URL",
        [SecretName.DiscordWebhookUrl] = "DISCORD_WEBHOOK_URL",
        [SecretName.SupabaseAccessToken] = "SUPABASE_ACCESS_TOKEN",
        [SecretName.GitHubToken] = "GITHUB_TOKEN",
        [SecretName.ServerActionsEncryptionKey] = "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY",
    };

    /// <summary>The VPS secrets fall back to the unprefixed <c>VPS_*</c> when the prefixed one is unset.</summary>
    public static bool HasUnprefixedFallback(SecretName name) =>
        Scoped.TryGetValue(name, out var v) && v.StartsWith("VPS_", StringComparison.Ordinal);

    public static bool IsGlobal(SecretName name) => Global.ContainsKey(name);

    /// <summary>
    /// Values read like secrets but public by nature: where the VPS is, who logs in, its host key's fingerprint and the
    /// project's API address. They are not masked, or every "deploy" in a message (".deploy-lock") would become ***.
    /// Everything else (passwords, keys, tokens, webhooks, database URLs) is masked wherever it appears.
    /// </summary>
    private static readonly HashSet<SecretName> NotSensitive =
        [SecretName.VpsHost, SecretName.VpsUser, SecretName.VpsHostKey, SecretName.SupabaseUrl];

    /// <summary>Whether the value must never be shown (and so is masked in every output).</summary>
    public static bool IsSensitive(SecretName name) => !NotSensitive.Contains(name);

    /// <summary>Whether a variable (any prefix) holds a value that must never be shown; names the suite does not
    /// know are treated as secret.</summary>
    public static bool IsSensitiveVariable(string variable) =>
        !NotSensitive.Any(name =>
            Scoped[name] == variable || variable.EndsWith("_" + Scoped[name], StringComparison.Ordinal)
        );

    /// <summary>The variables read for <paramref name="name"/>, in order of precedence.</summary>
    public static IReadOnlyList<string> VariablesFor(SecretName name, string prefix)
    {
        if (Global.TryGetValue(name, out var global)) return [global];
        var bare = Scoped[name];
        var prefixed = $"{prefix}_{bare}";
        return HasUnprefixedFallback(name) ? [prefixed, bare] : [prefixed];
    }

    /// <summary>Every variable name this suite could read for an environment with <paramref name="prefix"/>.</summary>
    public static IEnumerable<string> AllVariables(string prefix) =>
        Enum.GetValues<SecretName>().SelectMany(n => VariablesFor(n, prefix));
}
