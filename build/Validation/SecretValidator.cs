using System.Text;
using System.Text.RegularExpressions;
using Build.Configuration;
using Build.Deploy;
using Build.Migrations.Database;
using Build.Secrets;
using Renci.SshNet;

namespace Build.Validation;

/// <summary>
/// Checks every secret the environment needs, all at once: which are missing (by variable name), which are malformed
/// (a URL that isn't one, a key that isn't a JWT, an SSH key that doesn't parse), and which belong to another
/// project (the URL's ref and the JWTs' ref claims must be the configured one; each key's role must be right).
/// Messages name variables and claims, never values.
/// </summary>
public sealed partial class SecretValidator(EnvironmentSettings environment, SecretStore secrets)
{
    [GeneratedRegex("^SHA256:[A-Za-z0-9+/]{43}$")] private static partial Regex HostKeyFingerprint();
    [GeneratedRegex("^[a-z_][a-z0-9_-]*[$]?$")] private static partial Regex UnixUser();
    [GeneratedRegex("^([a-z]{20})\\.supabase\\.(co|in)$")] private static partial Regex SupabaseApiHost();
    [GeneratedRegex("^db\\.([a-z]{20})\\.supabase\\.(co|in)$")] private static partial Regex SupabaseDirectDbHost();
    [GeneratedRegex("\\.pooler\\.supabase\\.com$")] private static partial Regex SupabasePoolerHost();
    [GeneratedRegex("^sbp_[0-9a-f]{40}$")] private static partial Regex SupabaseAccessTokenFormat();

    public const int TransactionPoolerPort = 6543;

    /// <summary>The secrets this environment needs, from its configuration.</summary>
    public IReadOnlyList<SecretName> Required() => RequiredFor(environment);

    /// <summary>The secrets <paramref name="environment"/> needs, from its configuration alone.</summary>
    public static IReadOnlyList<SecretName> RequiredFor(EnvironmentSettings environment)
    {
        var required = new List<SecretName>();
        if (environment.SupabaseProjectRef is not null)
            required.AddRange([SecretName.SupabaseUrl, SecretName.SupabaseAnonKey, SecretName.SupabaseServiceRoleKey, SecretName.DatabaseUrl]);
        if (environment is { Deploys: true, Vps: { Transport: DeployTransport.Ssh } vps })
        {
            if (vps.Hosts.Count == 0) required.Add(SecretName.VpsHost);
            if (vps.User is null) required.Add(SecretName.VpsUser);
            required.AddRange([SecretName.VpsSshKey, SecretName.VpsHostKey]);
        }
        if (environment.Notifications.Channels.Contains("slack")) required.Add(SecretName.SlackWebhookUrl);
        if (environment.Notifications.Channels.Contains("discord")) required.Add(SecretName.DiscordWebhookUrl);
        return required;
    }

    public IReadOnlyList<ValidationFinding> Validate()
    {
        var findings = new List<ValidationFinding>();
        var required = Required();
        foreach (var name in required.Where(n => !secrets.Has(n)))
            findings.Add(new(Severity.Error, string.Join(" or ", secrets.VariablesFor(name)), $"missing (needed by '{environment.Name}'; see {DotEnvTemplate.FileName(environment.Name)})"));

        // Check the format of everything that is set, required or not: a wrong optional value still breaks the target that uses it.
        foreach (var name in Enum.GetValues<SecretName>())
        {
            // Plain null checks rather than "is not { } value" patterns here and in CheckKey: Stryker.NET cannot mutate a
            // method whose pattern variables it has to split, and drops all of its mutants (bench/mutation.sh).
            var value = secrets.Get(name);
            if (value is null) continue;
            var variable = secrets.SourceOf(name)!;
            foreach (var message in Check(name, value))
                findings.Add(new(message.Severity, variable, message.Text));
            if (SecretNames.IsSensitive(name) && TooShortToMask(name, value) is { } what)
                findings.Add(new(Severity.Error, variable, $"{what} is shorter than {SecretMasker.MinimumLength} characters, so it could not be masked in output (it would mask ordinary words): use a longer one"));
        }
        return findings;
    }

    private IEnumerable<(Severity Severity, string Text)> Check(SecretName name, string value)
    {
        var projectRef = environment.SupabaseProjectRef;
        switch (name)
        {
            case SecretName.SupabaseUrl:
                if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var api) || api.Scheme is not ("https" or "http"))
                { yield return (Severity.Error, "is not an http(s) URL (expected https://<project-ref>.supabase.co)"); break; }
                if (SupabaseApiHost().Match(api.Host) is { Success: true } m)
                {
                    if (projectRef is not null && m.Groups[1].Value != projectRef)
                        yield return (Severity.Error, $"points at Supabase project {m.Groups[1].Value}, but '{environment.Name}' is configured for {projectRef}");
                }
                else if (projectRef is not null)
                    yield return (Severity.Warning, $"is not a <ref>.supabase.co address, so its project cannot be checked against {projectRef}");
                break;
            case SecretName.SupabaseAnonKey:
                foreach (var m2 in CheckKey(value, "anon")) yield return m2;
                break;
            case SecretName.SupabaseServiceRoleKey:
                foreach (var m2 in CheckKey(value, "service_role")) yield return m2;
                break;
            case SecretName.DatabaseUrl:
                foreach (var m2 in CheckDatabaseUrl(value)) yield return m2;
                break;
            case SecretName.VpsHost:
                if (!Rules.IsHostName(value.Trim())) yield return (Severity.Error, "is not a host name or IP address");
                break;
            case SecretName.VpsUser:
                if (!UnixUser().IsMatch(value.Trim())) yield return (Severity.Error, "is not a Unix user name");
                break;
            case SecretName.VpsSshKey:
                if (ParseSshKey(value) is { } problem) yield return (Severity.Error, problem);
                break;
            case SecretName.VpsHostKey:
                if (!HostKeyFingerprint().IsMatch(value.Trim()))
                    yield return (Severity.Error, "is not a host key fingerprint: expected SHA256:<43 base64 characters>, as `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` prints on the VPS");
                break;
            case SecretName.SlackWebhookUrl:
            case SecretName.DiscordWebhookUrl:
                if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var hook) || hook.Scheme != "https")
                    yield return (Severity.Error, "is not an https URL");
                break;
            case SecretName.ServerActionsEncryptionKey:
                if (!IsAesKey(value.Trim()))
                    yield return (Severity.Error, "is not a base64-encoded AES key of 16, 24 or 32 bytes (make one with: openssl rand -base64 32)");
                break;
            case SecretName.SupabaseAccessToken:
                if (!SupabaseAccessTokenFormat().IsMatch(value.Trim()))
                    yield return (Severity.Error, "is not a Supabase personal access token (sbp_ followed by 40 hex digits)");
                break;
        }
    }

    private IEnumerable<(Severity, string)> CheckKey(string value, string expectedRole)
    {
        var claims = Jwt.TryReadClaims(value);
        if (claims is null)
        {
            yield return (Severity.Error, $"is not a JWT (expected the {expectedRole} key from Project Settings > API)");
            yield break;
        }
        var role = Jwt.Claim(claims.Value, "role");
        if (role != expectedRole)
            yield return (Severity.Error, role is null ? $"has no role claim; expected role {expectedRole}" : $"has role '{role}', expected '{expectedRole}': the keys look swapped");
        var keyRef = Jwt.Claim(claims.Value, "ref");
        if (environment.SupabaseProjectRef is { } projectRef)
        {
            if (keyRef is null) yield return (Severity.Error, $"has no ref claim, so it cannot be checked against project {projectRef}");
            else if (keyRef != projectRef)
                yield return (Severity.Error, $"belongs to Supabase project {keyRef}, but '{environment.Name}' is configured for {projectRef}");
        }
    }

    private IEnumerable<(Severity, string)> CheckDatabaseUrl(string value)
    {
        // Strictly: a password with an unencoded / @ # would otherwise be read as host, port or path, and printed as such.
        var (url, problem) = TryParseDatabaseUrl(value);
        if (url is null)
        {
            yield return (Severity.Error, problem!);
            yield break;
        }
        if (url.Port == TransactionPoolerPort)
            yield return (Severity.Error, "uses port 6543, Supabase's transaction pooler: migrations need session state and prepared statements. Use the direct connection (db.<ref>.supabase.co:5432) or the session pooler (port 5432)");
        var user = url.User ?? "";
        string? urlRef = null;
        if (SupabaseDirectDbHost().Match(url.Host) is { Success: true } direct) urlRef = direct.Groups[1].Value;
        else if (SupabasePoolerHost().IsMatch(url.Host) && user.StartsWith("postgres.", StringComparison.Ordinal)) urlRef = user["postgres.".Length..];
        if (environment.SupabaseProjectRef is { } projectRef)
        {
            if (urlRef is null)
                yield return (Severity.Warning, $"is not a Supabase host, so its project cannot be checked against {projectRef}");
            else if (urlRef != projectRef)
                yield return (Severity.Error, $"points at Supabase project {urlRef}, but '{environment.Name}' is configured for {projectRef}");
        }
    }

    private static (DatabaseUrlParts? Url, string? Problem) TryParseDatabaseUrl(string value)
    {
        try { return (DatabaseUrl.Parse(value), null); }
        catch (DatabaseUrlFormatException e) { return (null, e.Message.TrimEnd('.')); }
    }

    /// <summary>"its password" or "its value" when that part is too short for the masker; null when it is fine.</summary>
    private static string? TooShortToMask(SecretName name, string value)
    {
        if (name == SecretName.DatabaseUrl)
            return TryParseDatabaseUrl(value).Url is { Password: { Length: > 0 } password } && password.Length < SecretMasker.MinimumLength ? "its password" : null;
        return value.Trim().Length < SecretMasker.MinimumLength ? "its value" : null;
    }

    private static bool IsAesKey(string text)
    {
        var buffer = new byte[64];
        return Convert.TryFromBase64String(text, buffer, out var length) && length is 16 or 24 or 32;
    }

    /// <summary>Null when the text is a usable private key; otherwise why not.</summary>
    public static string? ParseSshKey(string text)
    {
        var normalized = text.Replace("\r\n", "\n").Replace("\\n", "\n").Trim();
        if (!normalized.StartsWith("-----BEGIN ", StringComparison.Ordinal))
            return "is not a private key (expected the text of an OpenSSH or PEM private key, starting with -----BEGIN)";
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(normalized));
            using var key = new PrivateKeyFile(stream);
            return null;
        }
        catch (Renci.SshNet.Common.SshPassPhraseNullOrEmptyException)
        {
            return "is protected by a passphrase; CI needs a key without one (a deploy-only key)";
        }
        catch (Exception ex) when (ex is Renci.SshNet.Common.SshException or ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            return "does not parse as a private key (" + ex.GetType().Name + ")";
        }
    }
}
