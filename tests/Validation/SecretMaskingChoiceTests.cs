using Build.Secrets;
using Build.Tests.Infrastructure;

namespace Build.Tests.Validation;

/// <summary>What is masked: secrets in every shape they take (URL-encoded, inside a URL, containing one another), and
/// not the values that are not secret, so that messages stay readable.</summary>
public class SecretMaskingChoiceTests
{
    [Test]
    public void A_user_name_host_and_fingerprint_are_not_secrets_and_stay_readable()
    {
        var masker = new SecretMasker();
        var values = new Dictionary<string, string>
        {
            ["STAGING_VPS_USER"] = "deploy",
            ["STAGING_VPS_HOST"] = "vps.example.org",
            ["STAGING_VPS_HOST_KEY"] = "SHA256:" + new string('A', 43),
            ["STAGING_SUPABASE_URL"] = "https://rvjmwwvkhglcuqwcznph.supabase.co",
            ["STAGING_DATABASE_URL"] = "postgresql://postgres:Db-Passw0rd-123@db.example.com:5432/postgres",
            ["STAGING_SUPABASE_SERVICE_ROLE_KEY"] = "service-role-key-value-1234567890",
            ["SLACK_WEBHOOK_URL"] = TestSecrets.SlackWebhook,
        };
        _ = new SecretStore("STAGING", values.GetValueOrDefault, masker);

        masker
            .Apply("waiting for the deploy lock .deploy-lock on vps.example.org as deploy")
            .Should()
            .Be("waiting for the deploy lock .deploy-lock on vps.example.org as deploy");
        masker
            .Apply($"host key SHA256:{new string('A', 43)} of https://rvjmwwvkhglcuqwcznph.supabase.co")
            .Should()
            .NotContain("***");
        masker
            .Apply(
                "login with Db-Passw0rd-123, key service-role-key-value-1234567890, hook " + TestSecrets.SlackWebhook
            )
            .Should()
            .Be("login with ***, key ***, hook ***");
        masker.Values.Should().NotContain(["deploy", "vps.example.org"]);
    }

    [Test]
    public void The_url_encoded_form_of_a_secret_is_masked_with_upper_or_lower_case_hex()
    {
        var masker = new SecretMasker();
        masker.Add("https://hooks.example/services/T0/B0/s3cr3t+token/x");
        masker.Add("postgresql://postgres:p%40ss%2Fw0rd@db.example.com:5432/postgres");
        masker
            .Apply("?hook=https%3A%2F%2Fhooks.example%2Fservices%2FT0%2FB0%2Fs3cr3t%2Btoken%2Fx")
            .Should()
            .Be("?hook=***");
        masker
            .Apply("?hook=https%3a%2f%2fhooks.example%2fservices%2fT0%2fB0%2fs3cr3t%2btoken%2fx")
            .Should()
            .Be("?hook=***");
        masker.Apply("password p@ss/w0rd or p%40ss%2Fw0rd or p%40ss%2fw0rd").Should().Be("password *** or *** or ***");
    }

    [Test]
    public void A_password_with_unencoded_reserved_characters_is_still_masked_whole()
    {
        var masker = new SecretMasker();
        masker.Add("postgresql://leakuser:4711/T4il@Secret@db.example.com:5432/postgres");
        masker.Apply("connecting as leakuser:4711/T4il@Secret").Should().Be("connecting as leakuser:***");
    }

    [Test]
    public void The_longest_value_is_masked_first_so_that_no_piece_of_it_remains()
    {
        var masker = new SecretMasker();
        masker.Add("abcd-1234");
        masker.Add("abcd-1234-efgh-5678");
        masker.Add("xx-abcd-1234-efgh-5678-yy-long");
        masker
            .Apply("a abcd-1234-efgh-5678 b abcd-1234 c xx-abcd-1234-efgh-5678-yy-long")
            .Should()
            .Be("a *** b *** c ***");
    }

    [TestCase(
        "GET http://admin:hunter22@127.0.0.1:8080/health failed",
        "GET http://admin:***@127.0.0.1:8080/health failed"
    )]
    [TestCase("--url=https://user:p%40ss@example.org/x", "--url=https://user:***@example.org/x")]
    [TestCase("redis://:only-password@cache:6379", "redis://:***@cache:6379")]
    [TestCase(
        "http://127.0.0.1:3000/api/health and mailto:a@b.example",
        "http://127.0.0.1:3000/api/health and mailto:a@b.example"
    )]
    [TestCase("https://host.example:8443/path/@scope/pkg", "https://host.example:8443/path/@scope/pkg")]
    public void The_password_of_any_url_is_masked_registered_or_not(string text, string expected)
    {
        new SecretMasker().Apply(text).Should().Be(expected);
    }

    [Test]
    public async Task A_url_given_on_the_command_line_never_shows_its_password_in_the_console_annotations_or_summary()
    {
        var summary = Path.GetTempFileName();
        try
        {
            var port = Ports.Free();
            var variables = new Dictionary<string, string>
            {
                ["GITHUB_ACTIONS"] = "true",
                ["GITHUB_STEP_SUMMARY"] = summary,
            };
            var run = await SuiteRun.RunAsync(
                variables,
                "--target=HealthCheck",
                "--env=local",
                $"--url=http://probe:Cmd-L1ne-Passw0rd@127.0.0.1:{port}/api/health",
                "--timeout=1",
                "--commit=abc1234"
            );
            run.ExitCode.Should().Be(1, run.All);
            run.All.Should().Contain("probe:***@127.0.0.1").And.Contain("::error");
            run.All.Should().NotContain("Cmd-L1ne-Passw0rd");
            File.ReadAllText(summary).Should().NotContain("Cmd-L1ne-Passw0rd");
        }
        finally
        {
            File.Delete(summary);
        }
    }

    [Test]
    public async Task Under_GitHub_Actions_only_secret_values_are_registered_with_add_mask()
    {
        var summary = Path.GetTempFileName();
        try
        {
            var secrets = TestSecrets.For("STAGING", "rvjmwwvkhglcuqwcznph");
            var variables = new Dictionary<string, string>(secrets)
            {
                ["GITHUB_ACTIONS"] = "true",
                ["GITHUB_STEP_SUMMARY"] = summary,
            };
            var run = await SuiteRun.RunAsync(variables, "--target=ValidateEnvironment", "--env=staging");
            run.ExitCode.Should().Be(0, run.All);
            run.Out.Should().Contain($"::add-mask::{TestSecrets.DatabasePassword}");
            run.Out.Should()
                .NotContain("::add-mask::deploy")
                .And.NotContain("::add-mask::vps.example.org")
                .And.NotContain("::add-mask::SHA256:");
        }
        finally
        {
            File.Delete(summary);
        }
    }

    [Test]
    public async Task A_secret_too_short_to_be_masked_is_refused_by_validate()
    {
        var secrets = TestSecrets.For("STAGING", "rvjmwwvkhglcuqwcznph");
        secrets["STAGING_DATABASE_URL"] =
            "postgresql://postgres.rvjmwwvkhglcuqwcznph:pw1@aws-0-eu-central-1.pooler.supabase.com:5432/postgres";
        var run = await SuiteRun.RunAsync(secrets, "--target=ValidateEnvironment", "--env=staging");
        run.ExitCode.Should().Be(1);
        run.All.Should()
            .Contain("STAGING_DATABASE_URL: its password is shorter than 4 characters, so it could not be masked");
    }
}
