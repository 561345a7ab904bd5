using System.Diagnostics;
using Build.Configuration;
using Build.Deploy;
using Build.Secrets;
using Build.Tests.Infrastructure;
using Build.Validation;

namespace Build.Tests.Validation;

/// <summary>
/// The secret checks themselves, without a run of the suite (fast, so that each rule is pinned down one by one):
/// which secrets an environment needs, and for each value what is wrong with it, as the finding that names the variable.
/// </summary>
public class SecretValidatorTests
{
    private const string Ref = "rvjmwwvkhglcuqwcznph";
    private const string OtherRef = "iyeueszchbvlutlcmvcb";

    private static EnvironmentSettings Staging(string? projectRef = Ref, Action<EnvironmentSettings>? edit = null)
    {
        var env = new EnvironmentSettings
        {
            Name = "staging",
            SecretPrefix = "STAGING",
            SupabaseProjectRef = projectRef,
            Deploys = true,
            Vps = new DeploySettings { Transport = DeployTransport.Ssh, BasePath = "/var/www/muva-chat", AppName = "muva-chat" },
            Notifications = new NotificationSettings { Channels = ["slack", "discord"] },
        };
        edit?.Invoke(env);
        return env;
    }

    private static List<ValidationFinding> Findings(Dictionary<string, string> variables, EnvironmentSettings? env = null)
    {
        env ??= Staging();
        return new SecretValidator(env, new SecretStore(env.SecretPrefix, variables.GetValueOrDefault, new SecretMasker())).Validate().ToList();
    }

    /// <summary>The findings about one variable, as "Severity: message" lines.</summary>
    private static List<string> About(string variable, string value, EnvironmentSettings? env = null) =>
        Findings(new() { [variable] = value }, env).Where(f => f.Subject == variable).Select(f => $"{f.Severity}: {f.Message}").ToList();

    [Test]
    public void What_an_environment_needs_follows_from_its_configuration()
    {
        SecretValidator.RequiredFor(Staging()).Should().Equal(
            SecretName.SupabaseUrl, SecretName.SupabaseAnonKey, SecretName.SupabaseServiceRoleKey, SecretName.DatabaseUrl,
            SecretName.VpsHost, SecretName.VpsUser, SecretName.VpsSshKey, SecretName.VpsHostKey,
            SecretName.SlackWebhookUrl, SecretName.DiscordWebhookUrl);
        SecretValidator.RequiredFor(Staging(edit: e => { e.Vps = e.Vps! with { Hosts = ["a.example.org"], User = "deploy" }; e.Notifications.Channels = ["discord"]; }))
            .Should().Equal(SecretName.SupabaseUrl, SecretName.SupabaseAnonKey, SecretName.SupabaseServiceRoleKey, SecretName.DatabaseUrl,
                SecretName.VpsSshKey, SecretName.VpsHostKey, SecretName.DiscordWebhookUrl);
        SecretValidator.RequiredFor(Staging(projectRef: null, edit: e => { e.Vps = e.Vps! with { Transport = DeployTransport.Local }; e.Notifications.Channels = []; }))
            .Should().BeEmpty("a local transport needs no SSH secrets, and no project ref needs no Supabase keys");
        SecretValidator.RequiredFor(Staging(edit: e => { e.Deploys = false; e.Notifications.Channels = ["slack"]; }))
            .Should().Equal(SecretName.SupabaseUrl, SecretName.SupabaseAnonKey, SecretName.SupabaseServiceRoleKey, SecretName.DatabaseUrl, SecretName.SlackWebhookUrl);
    }

    [Test]
    public void Each_missing_secret_is_named_by_its_variables_and_the_template_to_copy()
    {
        var findings = Findings(new() { ["STAGING_VPS_HOST"] = "vps.example.org", ["VPS_USER"] = "deploy" });

        findings.Should().OnlyContain(f => f.Severity == Severity.Error);
        findings.Select(f => f.Subject).Should().Equal(
            "STAGING_SUPABASE_URL", "STAGING_SUPABASE_ANON_KEY", "STAGING_SUPABASE_SERVICE_ROLE_KEY", "STAGING_DATABASE_URL",
            "STAGING_VPS_SSH_KEY or VPS_SSH_KEY", "STAGING_VPS_HOST_KEY or VPS_HOST_KEY", "SLACK_WEBHOOK_URL", "DISCORD_WEBHOOK_URL");
        findings[0].Message.Should().Be("missing (needed by 'staging'; see .env.staging.template)");
    }

    [TestCase("https://" + Ref + ".supabase.co", null)]
    [TestCase("http://" + Ref + ".supabase.in", null)]
    [TestCase("ftp://" + Ref + ".supabase.co", "Error: is not an http(s) URL (expected https://<project-ref>.supabase.co)")]
    [TestCase(Ref + ".supabase.co", "Error: is not an http(s) URL (expected https://<project-ref>.supabase.co)")]
    [TestCase("https://" + OtherRef + ".supabase.co", "Error: points at Supabase project " + OtherRef + ", but 'staging' is configured for " + Ref)]
    [TestCase("https://api.example.org", "Warning: is not a <ref>.supabase.co address, so its project cannot be checked against " + Ref)]
    public void The_supabase_url_must_be_the_configured_projects(string url, string? finding)
    {
        var findings = About("STAGING_SUPABASE_URL", url);
        if (finding is null) findings.Should().BeEmpty();
        else findings.Should().Equal(finding);
    }

    [Test]
    public void Without_a_configured_project_a_supabase_url_or_key_of_any_project_is_accepted()
    {
        var env = Staging(projectRef: null);
        About("STAGING_SUPABASE_URL", $"https://{OtherRef}.supabase.co", env).Should().BeEmpty();
        About("STAGING_SUPABASE_URL", "https://api.example.org", env).Should().BeEmpty();
        About("STAGING_SUPABASE_ANON_KEY", TestJwt.WithPayload("""{"role":"anon"}"""), env).Should().BeEmpty();
        About("STAGING_DATABASE_URL", "postgresql://u:long-password@db.example.org:5432/postgres", env).Should().BeEmpty();
    }

    [Test]
    public void Each_key_must_be_a_jwt_of_its_role_and_of_the_configured_project()
    {
        About("STAGING_SUPABASE_ANON_KEY", TestJwt.Supabase(Ref, "anon")).Should().BeEmpty();
        About("STAGING_SUPABASE_SERVICE_ROLE_KEY", TestJwt.Supabase(Ref, "service_role")).Should().BeEmpty();
        About("STAGING_SUPABASE_ANON_KEY", "not-a-jwt-value").Should().Equal("Error: is not a JWT (expected the anon key from Project Settings > API)");
        About("STAGING_SUPABASE_SERVICE_ROLE_KEY", TestJwt.Supabase(Ref, "anon"))
            .Should().Equal("Error: has role 'anon', expected 'service_role': the keys look swapped");
        About("STAGING_SUPABASE_ANON_KEY", TestJwt.WithPayload($$"""{"ref":"{{Ref}}"}"""))
            .Should().Equal("Error: has no role claim; expected role anon");
        About("STAGING_SUPABASE_SERVICE_ROLE_KEY", TestJwt.WithPayload("""{"role":"service_role"}"""))
            .Should().Equal($"Error: has no ref claim, so it cannot be checked against project {Ref}");
        About("STAGING_SUPABASE_SERVICE_ROLE_KEY", TestJwt.Supabase(OtherRef, "service_role"))
            .Should().Equal($"Error: belongs to Supabase project {OtherRef}, but 'staging' is configured for {Ref}");
    }

    [TestCase("postgresql://postgres:long-password@db." + Ref + ".supabase.co:5432/postgres", null)]
    [TestCase("postgresql://postgres." + Ref + ":long-password@aws-0-eu-central-1.pooler.supabase.com:5432/postgres", null)]
    [TestCase("postgresql://postgres:long-password@db." + OtherRef + ".supabase.co:5432/postgres",
        "Error: points at Supabase project " + OtherRef + ", but 'staging' is configured for " + Ref)]
    [TestCase("postgresql://postgres." + OtherRef + ":long-password@aws-0-eu-central-1.pooler.supabase.com:5432/postgres",
        "Error: points at Supabase project " + OtherRef + ", but 'staging' is configured for " + Ref)]
    [TestCase("postgresql://postgres:long-password@aws-0-eu-central-1.pooler.supabase.com:5432/postgres",
        "Warning: is not a Supabase host, so its project cannot be checked against " + Ref)]
    [TestCase("postgresql://postgres:long-password@db.example.org:5432/postgres",
        "Warning: is not a Supabase host, so its project cannot be checked against " + Ref)]
    [TestCase("postgresql://postgres:abcd@db." + Ref + ".supabase.co:5432/postgres", null)]
    [TestCase("postgresql://postgres:abc@db." + Ref + ".supabase.co:5432/postgres",
        "Error: its password is shorter than 4 characters, so it could not be masked in output (it would mask ordinary words): use a longer one")]
    public void The_database_url_must_be_the_configured_projects_and_its_password_long_enough_to_mask(string url, string? finding)
    {
        var findings = About("STAGING_DATABASE_URL", url);
        if (finding is null) findings.Should().BeEmpty();
        else findings.Should().Equal(finding);
    }

    [Test]
    public void The_transaction_pooler_port_is_refused_and_a_url_without_a_password_is_not_too_short()
    {
        About("STAGING_DATABASE_URL", $"postgresql://postgres.{Ref}:long-password@aws-0-eu-central-1.pooler.supabase.com:6543/postgres")
            .Should().Equal("Error: uses port 6543, Supabase's transaction pooler: migrations need session state and prepared statements. " +
                            "Use the direct connection (db.<ref>.supabase.co:5432) or the session pooler (port 5432)");
        About("STAGING_DATABASE_URL", $"postgresql://postgres@db.{Ref}.supabase.co:5432/postgres").Should().BeEmpty();
        About("STAGING_DATABASE_URL", "postgresql://u:p#w@h/db").Should().ContainSingle().Which.Should().StartWith("Error: ").And.NotEndWith(".");
    }

    [TestCase("STAGING_VPS_HOST", "vps.example.org", null)]
    [TestCase("STAGING_VPS_HOST", "10.0.0.5", null)]
    [TestCase("STAGING_VPS_HOST", "not a host", "Error: is not a host name or IP address")]
    [TestCase("STAGING_VPS_USER", "deploy_2", null)]
    [TestCase("STAGING_VPS_USER", "Deploy User", "Error: is not a Unix user name")]
    [TestCase("STAGING_VPS_HOST_KEY", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null)]
    [TestCase("STAGING_VPS_HOST_KEY", "ab:cd:ef", "Error: is not a host key fingerprint: expected SHA256:<43 base64 characters>, as `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` prints on the VPS")]
    [TestCase("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x", null)]
    [TestCase("SLACK_WEBHOOK_URL", "http://hooks.slack.com/services/T0/B0/x", "Error: is not an https URL")]
    [TestCase("DISCORD_WEBHOOK_URL", "discord.com/api/webhooks/1/x", "Error: is not an https URL")]
    [TestCase("SUPABASE_ACCESS_TOKEN", "sbp_0123456789abcdef0123456789abcdef01234567", null)]
    [TestCase("SUPABASE_ACCESS_TOKEN", "sbp_0123456789ABCDEF0123456789abcdef01234567", "Error: is not a Supabase personal access token (sbp_ followed by 40 hex digits)")]
    [TestCase("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAA==", null)]
    [TestCase("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null)]
    [TestCase("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", null)]
    [TestCase("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "Error: is not a base64-encoded AES key of 16, 24 or 32 bytes (make one with: openssl rand -base64 32)")]
    [TestCase("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", "not base64 at all!", "Error: is not a base64-encoded AES key of 16, 24 or 32 bytes (make one with: openssl rand -base64 32)")]
    [TestCase("GITHUB_TOKEN", "abc", "Error: its value is shorter than 4 characters, so it could not be masked in output (it would mask ordinary words): use a longer one")]
    [TestCase("GITHUB_TOKEN", "  ab  ", "Error: its value is shorter than 4 characters, so it could not be masked in output (it would mask ordinary words): use a longer one")]
    [TestCase("GITHUB_TOKEN", "abcd", null)]
    [TestCase("STAGING_VPS_USER", "ci", null)]
    public void Each_value_is_checked_for_its_own_format(string variable, string value, string? finding)
    {
        var findings = About(variable, value);
        if (finding is null) findings.Should().BeEmpty();
        else findings.Should().Equal(finding);
    }

    [Test]
    public void An_ssh_key_must_be_a_private_key_without_a_passphrase()
    {
        var key = TestSecrets.For("STAGING", Ref)["STAGING_VPS_SSH_KEY"];
        SecretValidator.ParseSshKey(key).Should().BeNull();
        SecretValidator.ParseSshKey(key.Replace("\n", "\\n")).Should().BeNull("a key pasted with literal \\n (a CI secret on one line) is read too");
        SecretValidator.ParseSshKey(key.Replace("\n", "\r\n")).Should().BeNull();
        SecretValidator.ParseSshKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO public-key")
            .Should().Be("is not a private key (expected the text of an OpenSSH or PEM private key, starting with -----BEGIN)");
        SecretValidator.ParseSshKey("-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----")
            .Should().MatchRegex(@"^does not parse as a private key \([A-Za-z]+Exception\)$");
        SecretValidator.ParseSshKey(PassphraseKey()).Should().Be("is protected by a passphrase; CI needs a key without one (a deploy-only key)");
        About("STAGING_VPS_SSH_KEY", "ssh-rsa AAAA").Should().Equal("Error: is not a private key (expected the text of an OpenSSH or PEM private key, starting with -----BEGIN)");
        About("STAGING_VPS_SSH_KEY", key).Should().BeEmpty();
    }

    private static string PassphraseKey()
    {
        var dir = Directory.CreateTempSubdirectory("suite-key-");
        try
        {
            var path = Path.Combine(dir.FullName, "id_ed25519");
            using var process = Process.Start(new ProcessStartInfo(Require.Tool("ssh-keygen"), ["-q", "-t", "ed25519", "-N", "a-passphrase", "-C", "test", "-f", path])
                { RedirectStandardOutput = true, RedirectStandardError = true })!;
            process.WaitForExit();
            process.ExitCode.Should().Be(0);
            return File.ReadAllText(path);
        }
        finally { dir.Delete(recursive: true); }
    }
}
