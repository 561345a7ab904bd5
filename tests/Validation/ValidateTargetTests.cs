using Build.Tests.Infrastructure;

namespace Build.Tests.Validation;

/// <summary>The Validate targets end to end, in-process, with only the variables each test gives it. Tests whose
/// made-up secrets would pass run ValidateEnvironment alone: it connects to nothing, while Validate would go on to
/// reach the (made-up) database.</summary>
public class ValidateTargetTests
{
    private const string StagingRef = "rvjmwwvkhglcuqwcznph";
    private const string ProductionRef = "iyeueszchbvlutlcmvcb";

    [Test]
    public async Task Local_passes_with_no_secrets_at_all()
    {
        var run = await SuiteRun.RunAsync(null);
        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should()
            .MatchRegex(@"ValidateEnvironment\s+\S+\s+Succeeded")
            .And.MatchRegex(@"LintMigrations\s+\S+\s+Succeeded")
            .And.MatchRegex(@"CheckMigrations\s+\S+\s+Succeeded")
            .And.MatchRegex(@"\n\s*Validate\s+\S+\s+Succeeded");
    }

    [Test]
    public async Task Staging_without_secrets_fails_listing_every_missing_variable_by_name()
    {
        var run = await SuiteRun.RunAsync(null, "--target=Validate", "--env=staging");
        run.ExitCode.Should().Be(1);
        foreach (
            var variable in new[]
            {
                "STAGING_SUPABASE_URL",
                "STAGING_SUPABASE_ANON_KEY",
                "STAGING_SUPABASE_SERVICE_ROLE_KEY",
                "STAGING_DATABASE_URL",
                "STAGING_VPS_HOST or VPS_HOST",
                "STAGING_VPS_USER or VPS_USER",
                "STAGING_VPS_SSH_KEY or VPS_SSH_KEY",
                "STAGING_VPS_HOST_KEY or VPS_HOST_KEY",
                "SLACK_WEBHOOK_URL",
            }
        )
            run.All.Should().Contain($"{variable}: missing");
        run.All.Should().Contain("Validation failed with 9 errors");
    }

    [Test]
    public async Task Staging_with_a_complete_set_passes()
    {
        var run = await SuiteRun.RunAsync(
            TestSecrets.For("STAGING", StagingRef),
            "--target=ValidateEnvironment",
            "--env=staging"
        );
        run.ExitCode.Should().Be(0, run.All);
        run.Out.Should().Contain("9 required, 9 set");
    }

    [Test]
    public async Task Unprefixed_VPS_variables_are_the_fallback()
    {
        var secrets = TestSecrets.For("STAGING", StagingRef);
        foreach (var name in new[] { "VPS_HOST", "VPS_USER", "VPS_SSH_KEY", "VPS_HOST_KEY" })
        {
            secrets[name] = secrets[$"STAGING_{name}"];
            secrets.Remove($"STAGING_{name}");
        }
        var run = await SuiteRun.RunAsync(secrets, "--target=ValidateEnvironment", "--env=staging");
        run.ExitCode.Should().Be(0, run.All);
    }

    [Test]
    public async Task Keys_and_urls_of_another_project_or_the_wrong_role_are_each_named()
    {
        var secrets = TestSecrets.For("STAGING", StagingRef);
        secrets["STAGING_SUPABASE_URL"] = $"https://{ProductionRef}.supabase.co";
        secrets["STAGING_SUPABASE_ANON_KEY"] = TestJwt.Supabase(ProductionRef, "anon");
        secrets["STAGING_SUPABASE_SERVICE_ROLE_KEY"] = TestJwt.Supabase(StagingRef, "anon");
        secrets["STAGING_DATABASE_URL"] =
            $"postgresql://postgres:pw-not-shown@db.{ProductionRef}.supabase.co:5432/postgres";
        var run = await SuiteRun.RunAsync(secrets, "--target=ValidateEnvironment", "--env=staging");
        run.ExitCode.Should().Be(1);
        run.All.Should()
            .Contain(
                $"STAGING_SUPABASE_URL: points at Supabase project {ProductionRef}, but 'staging' is configured for " +
                $"{StagingRef}"
            );
        run.All.Should().Contain($"STAGING_SUPABASE_ANON_KEY: belongs to Supabase project {ProductionRef}");
        run.All.Should().Contain("STAGING_SUPABASE_SERVICE_ROLE_KEY: has role 'anon', expected 'service_role'");
        run.All.Should().Contain($"STAGING_DATABASE_URL: points at Supabase project {ProductionRef}");
    }

    [Test]
    public async Task A_key_without_its_role_or_ref_claim_or_a_service_role_key_of_another_project_is_refused()
    {
        var secrets = TestSecrets.For("STAGING", StagingRef);
        secrets["STAGING_SUPABASE_ANON_KEY"] = TestJwt.WithPayload(
            $$"""{"iss":"supabase","ref":"{{StagingRef}}","iat":1700000000}"""
        );
        secrets["STAGING_SUPABASE_SERVICE_ROLE_KEY"] = TestJwt.Supabase(ProductionRef, "service_role");
        var run = await SuiteRun.RunAsync(secrets, "--target=ValidateEnvironment", "--env=staging");

        run.ExitCode.Should().Be(1, run.All);
        run.All.Should().Contain("STAGING_SUPABASE_ANON_KEY: has no role claim; expected role anon");
        run.All.Should()
            .Contain(
                $"STAGING_SUPABASE_SERVICE_ROLE_KEY: belongs to Supabase project {ProductionRef}, but 'staging' is " +
                $"configured for {StagingRef}"
            );

        secrets["STAGING_SUPABASE_ANON_KEY"] = TestJwt.WithPayload(
            """{"iss":"supabase","role":"anon","iat":1700000000}"""
        );
        secrets["STAGING_SUPABASE_SERVICE_ROLE_KEY"] = TestJwt.Supabase(StagingRef, "service_role");
        var noRef = await SuiteRun.RunAsync(secrets, "--target=ValidateEnvironment", "--env=staging");

        noRef.ExitCode.Should().Be(1, noRef.All);
        noRef
            .All.Should()
            .Contain(
                $"STAGING_SUPABASE_ANON_KEY: has no ref claim, so it cannot be checked against project {StagingRef}"
            );
        noRef
            .All.Should()
            .NotContain("STAGING_SUPABASE_SERVICE_ROLE_KEY:", "the right key of the right project passes");
    }

    [Test]
    public async Task Malformed_values_are_named_without_showing_them()
    {
        var secrets = TestSecrets.For("STAGING", StagingRef);
        secrets["STAGING_SUPABASE_ANON_KEY"] = "not-a-jwt-value";
        secrets["STAGING_DATABASE_URL"] =
            "postgresql://postgres.rvjmwwvkhglcuqwcznph:pw-hidden@aws-0-eu.pooler.supabase.com:6543/postgres";
        secrets["STAGING_VPS_SSH_KEY"] =
            "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----";
        secrets["STAGING_VPS_HOST_KEY"] = "ab:cd:ef";
        secrets["STAGING_SUPABASE_URL"] = "rvjmwwvkhglcuqwcznph";
        var run = await SuiteRun.RunAsync(secrets, "--target=ValidateEnvironment", "--env=staging");
        run.ExitCode.Should().Be(1);
        run.All.Should().Contain("STAGING_SUPABASE_ANON_KEY: is not a JWT");
        run.All.Should().Contain("STAGING_DATABASE_URL: uses port 6543, Supabase's transaction pooler");
        run.All.Should().Contain("STAGING_VPS_SSH_KEY: does not parse as a private key");
        run.All.Should().Contain("STAGING_VPS_HOST_KEY: is not a host key fingerprint");
        run.All.Should().Contain("STAGING_SUPABASE_URL: is not an http(s) URL");
        run.All.Should()
            .NotContain("not-a-jwt-value")
            .And.NotContain("pw-hidden")
            .And.NotContain("bm90IGEga2V5")
            .And.NotContain("ab:cd:ef");
    }

    [Test]
    public async Task A_run_for_one_environment_never_reads_another_environments_variables()
    {
        var run = await SuiteRun.RunAsync(null, "--target=Validate", "--env=staging");
        run.VariablesRead.Should().Contain("STAGING_DATABASE_URL");
        run.VariablesRead.Should()
            .NotContain(v => v.StartsWith("PROD_") || v.StartsWith("DEV_") || v.StartsWith("LOCAL_"));
    }

    [Test]
    public async Task Production_shares_its_project_with_dev_and_says_so_on_every_run()
    {
        var run = await SuiteRun.RunAsync(
            TestSecrets.For("PROD", ProductionRef),
            "--target=ValidateEnvironment",
            "--env=production"
        );
        run.ExitCode.Should().Be(0, run.All);
        run.All.Should().Contain($"'production' shares Supabase project {ProductionRef} with 'dev' (accepted: ");
    }

    [Test]
    public async Task Sharing_a_project_with_production_without_an_accepted_reason_is_an_error()
    {
        var folder = Directory.CreateTempSubdirectory("shared-db-").FullName;
        var config = TestConfiguration.Write(folder, json => json.Remove("acceptedSharedDatabases"));
        try
        {
            var run = await SuiteRun.RunAsync(
                TestSecrets.For("PROD", ProductionRef),
                "--target=ValidateEnvironment",
                "--env=production",
                $"--config={config}"
            );
            run.ExitCode.Should().Be(1, run.All);
            run.All.Should().Contain($"'production' and 'dev' use the same Supabase project {ProductionRef}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task An_unknown_environment_fails_listing_the_valid_ones()
    {
        var run = await SuiteRun.RunAsync(null, "--env=qa");
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("Unknown environment 'qa'. Valid environments: local, dev, staging, production " +
                                   "(the environments of build/environments.json; ./build.sh --help lists them).");
    }

    [Test]
    public async Task An_unknown_environment_is_echoed_harmless_control_characters_escaped_and_a_long_value_cut()
    {
        // An escape sequence (recolours or rewrites the terminal), a newline (a forged log line, or a second
        // ::error:: command under Actions), a bidirectional override: each shown as an escape, not acted on.
        var run = await SuiteRun.RunAsync(null, "--env=qa\u001b[2Jx\n::error::forged\u202Eevil\u0007");
        run.ExitCode.Should().Be(1);
        run.All.Should()
            .NotContain("\u001b")
            .And.NotContain("\u202E")
            .And.NotContain("\u0007")
            .And.NotContain("\n::error::");
        run.Error.Should()
            .Contain(
                @"Unknown environment 'qa\e[2jx\n::error::forged\u202Eevil\x07'. Valid environments: local, dev, " +
                @"staging, production"
            );

        var typed = new string('q', 5000);
        run = await SuiteRun.RunAsync(null, "--env=" + typed);
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain($"Unknown environment '{new string('q', 40)}… (5000 characters)'.")
            .And.Contain("./build.sh --help lists them").And.NotContain(new string('q', 41));
    }

    [Test]
    public async Task An_unknown_environment_of_another_configuration_names_that_file_and_the_command_that_lists_its_environments()
    {
        var config = Path.Combine(Path.GetTempPath(), $"environments-{Guid.NewGuid():N}.json");
        File.Copy(Path.Combine(Require.RepositoryRoot, "build", "environments.json"), config);
        try
        {
            var run = await SuiteRun.RunAsync(null, "--env=qa", $"--config={config}");
            run.ExitCode.Should().Be(1);
            run.Error.Should()
                .Contain($"(the environments of {config}; ./build.sh --help --config={config} lists them).");
        }
        finally { File.Delete(config); }
    }

    [Test]
    public async Task A_broken_configuration_lists_every_error_and_stops_every_target()
    {
        var config = Path.Combine(Path.GetTempPath(), $"environments-{Guid.NewGuid():N}.json");
        File.WriteAllText(
            config,
            """{ "project": { "name": "" }, "environments": { "local": { "secretPrefix": "x", "deploys": 1 } } }"""
        );
        try
        {
            var run = await SuiteRun.RunAsync(null, $"--config={config}");
            run.ExitCode.Should().Be(1);
            run.Error.Should().Contain("$.environments.local.deploys: expected true or false, got the number 1");
        }
        finally
        {
            File.Delete(config);
        }
    }
}
