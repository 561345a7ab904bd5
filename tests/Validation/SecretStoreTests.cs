using Build.Secrets;

namespace Build.Tests.Validation;

/// <summary>Where a secret is read from (its environment's prefixed variable, the VPS_* fallback, the global ones),
/// what counts as unset, and that every sensitive value is registered with the masker before anything asks for
/// it.</summary>
public class SecretStoreTests
{
    private static SecretStore Store(Dictionary<string, string> variables, SecretMasker? masker = null) =>
        new("STAGING", variables.GetValueOrDefault, masker ?? new SecretMasker());

    [Test]
    public void The_prefixed_variable_wins_and_the_vps_ones_fall_back_to_the_unprefixed_name()
    {
        var store = Store(new()
        {
            ["STAGING_VPS_SSH_KEY"] = "staging-key-material",
            ["VPS_SSH_KEY"] = "shared-key-material",
            ["VPS_HOST"] = "vps.example.org",
            ["DATABASE_URL"] = "postgresql://u:unprefixed-pass@h/db",
        });

        store.Prefix.Should().Be("STAGING");
        store.Get(SecretName.VpsSshKey).Should().Be("staging-key-material");
        store.SourceOf(SecretName.VpsSshKey).Should().Be("STAGING_VPS_SSH_KEY");
        store.Get(SecretName.VpsHost).Should().Be("vps.example.org");
        store.SourceOf(SecretName.VpsHost).Should().Be("VPS_HOST");
        store.Has(SecretName.DatabaseUrl).Should().BeFalse("only the VPS secrets fall back to an unprefixed variable");
        store.Get(SecretName.DatabaseUrl).Should().BeNull();
        store.SourceOf(SecretName.DatabaseUrl).Should().BeNull();
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\t\n")]
    public void A_blank_value_is_unset_so_the_fallback_or_the_missing_error_applies(string blank)
    {
        var store = Store(
            new()
            {
                ["STAGING_VPS_USER"] = blank,
                ["VPS_USER"] = "deploy",
                ["STAGING_DATABASE_URL"] = blank,
            }
        );

        store.Get(SecretName.VpsUser).Should().Be("deploy");
        store.SourceOf(SecretName.VpsUser).Should().Be("VPS_USER");
        store.Has(SecretName.DatabaseUrl).Should().BeFalse();
        var missing = store
            .Invoking(s => s.Require(SecretName.DatabaseUrl))
            .Should()
            .Throw<MissingSecretException>()
            .Which;
        missing.Secret.Should().Be(SecretName.DatabaseUrl);
        missing.Variables.Should().Equal("STAGING_DATABASE_URL");
    }

    [Test]
    public void A_missing_secret_names_every_variable_it_could_come_from_and_no_value()
    {
        var store = Store(new() { ["PROD_VPS_SSH_KEY"] = "production-key-material" });

        store.Has(SecretName.VpsSshKey).Should().BeFalse("a staging run never reads PROD_*");
        var missing = store
            .Invoking(s => s.Require(SecretName.VpsSshKey))
            .Should()
            .Throw<MissingSecretException>()
            .Which;
        missing
            .Message.Should()
            .StartWith("STAGING_VPS_SSH_KEY or VPS_SSH_KEY is not set")
            .And.NotContain("production-key-material");
        missing.Variables.Should().Equal("STAGING_VPS_SSH_KEY", "VPS_SSH_KEY");
        store.VariablesFor(SecretName.SlackWebhookUrl).Should().Equal("SLACK_WEBHOOK_URL");
        Store(new() { ["SLACK_WEBHOOK_URL"] = "https://hooks.example/T0/B0/x" })
            .Require(SecretName.SlackWebhookUrl)
            .Should()
            .Be("https://hooks.example/T0/B0/x");
    }

    [Test]
    public void Every_sensitive_value_of_the_environment_is_masked_from_the_start_fallbacks_included()
    {
        var masker = new SecretMasker();
        _ = Store(new()
        {
            ["STAGING_VPS_SSH_KEY"] = "staging-key-material",
            ["VPS_SSH_KEY"] = "shared-key-material",
            ["STAGING_SUPABASE_ANON_KEY"] = "anon-key-value",
            ["GITHUB_TOKEN"] = "ghp_token_value",
            ["PROD_DATABASE_URL"] = "postgresql://u:prod-password@h/db",
            ["STAGING_VPS_USER"] = "deploy",
            ["STAGING_SUPABASE_SERVICE_ROLE_KEY"] = "  ",
        }, masker);

        masker
            .Apply("staging-key-material shared-key-material anon-key-value ghp_token_value")
            .Should()
            .Be("*** *** *** ***", "a value is masked before any task asks for it, the unused fallback too");
        masker
            .Apply("prod-password as deploy")
            .Should()
            .Be("prod-password as deploy", "another environment's values are never read; a user name is not secret");
    }
}
