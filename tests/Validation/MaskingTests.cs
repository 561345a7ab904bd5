using Build.Host;
using Build.Secrets;
using Build.Tests.Infrastructure;
using Cake.Core;

namespace Build.Tests.Validation;

/// <summary>Secret values never reach the output: the tests grep everything captured for the real values.</summary>
public class MaskingTests
{
    private const string StagingRef = "rvjmwwvkhglcuqwcznph";

    [Test]
    public void A_value_written_in_pieces_is_still_masked_whole()
    {
        var masker = new SecretMasker();
        masker.Add("hunter2-very-secret");
        var sink = new StringWriter();
        using (var writer = new MaskingTextWriter(sink, masker))
        {
            writer.Write("password is hunter2-");
            writer.Write("very-secret");
            writer.WriteLine(" (do not print)");
        }
        sink.ToString().Should().Be("password is *** (do not print)" + Environment.NewLine);
    }

    [Test]
    public void The_password_inside_a_database_url_and_each_line_of_a_key_are_masked_too()
    {
        var masker = new SecretMasker();
        masker.Add("postgresql://postgres:Pa%24%24word-123@db.example.com:5432/postgres");
        masker.Add("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAline-one-of-key\nBBBBline-two-of-key\n-----END OPENSSH PRIVATE KEY-----");
        masker.Apply("connecting with Pa$$word-123 / Pa%24%24word-123").Should().Be("connecting with *** / ***");
        masker.Apply("key: BBBBline-two-of-key").Should().Be("key: ***");
        masker.Apply("-----BEGIN OPENSSH PRIVATE KEY-----").Should().Be("-----BEGIN OPENSSH PRIVATE KEY-----", "armour lines are not secret");
    }

    [Test]
    public async Task No_secret_value_appears_in_a_failing_validate_run()
    {
        var secrets = TestSecrets.For("STAGING", StagingRef);
        secrets["STAGING_SUPABASE_ANON_KEY"] = TestJwt.Supabase("iyeueszchbvlutlcmvcb", "anon"); // wrong project: reported
        secrets["STAGING_DATABASE_URL"] = $"postgresql://postgres:{TestSecrets.DatabasePassword}@db.example.com:6543/postgres";
        var run = await SuiteRun.RunAsync(secrets, "--target=Validate", "--env=staging", "--verbosity=diagnostic");
        run.ExitCode.Should().Be(1);
        AssertNoSecret(run.All, secrets);
    }

    [Test]
    public async Task A_secret_an_app_echoes_into_its_health_answer_is_masked_on_the_console()
    {
        // A broken app whose error page shows its DATABASE_URL, healthy on the next attempt: the health check prints
        // each failed answer it got ("attempt 1 failed (HTTP 500 ...)"). It ends as soon as the app is healthy, so the
        // deadline only bounds a hang: a short one (3 s) decided the outcome on a loaded machine, where no attempt had
        // finished by then and the answer was never printed.
        var secrets = TestSecrets.For("STAGING", StagingRef);

        var unmasked = await RunAgainstBrokenThenHealthyApp(SuiteRun.RunUnmaskedAsync);
        var masked = await RunAgainstBrokenThenHealthyApp(SuiteRun.RunAsync);

        unmasked.ExitCode.Should().Be(0, unmasked.All);
        unmasked.All.Should().Contain(TestSecrets.DatabasePassword, "without the masker the secret reaches the console: this scenario can fail");
        masked.ExitCode.Should().Be(0, masked.All);
        masked.All.Should().Contain("could not connect to postgresql://postgres:***@db.example.com");
        AssertNoSecret(masked.All, secrets);

        async Task<SuiteRun.Result> RunAgainstBrokenThenHealthyApp(Func<IReadOnlyDictionary<string, string>?, string[], Task<SuiteRun.Result>> run)
        {
            using var app = WireMock.Server.WireMockServer.Start();
            app.Given(WireMock.RequestBuilders.Request.Create().WithPath("/api/health"))
                .InScenario("broken, then healthy").WillSetStateTo("healthy")
                .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(500)
                    .WithBody($"error: could not connect to postgresql://postgres:{TestSecrets.DatabasePassword}@db.example.com:5432/postgres"));
            app.Given(WireMock.RequestBuilders.Request.Create().WithPath("/api/health"))
                .InScenario("broken, then healthy").WhenStateIs("healthy")
                .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200)
                    .WithHeader("Content-Type", "application/json").WithBody("""{"status":"ok","commit":"abc1234"}"""));
            return await run(secrets, ["--target=HealthCheck", "--env=staging", $"--url=http://127.0.0.1:{app.Port}/api/health", "--timeout=120", "--commit=abc1234"]);
        }
    }

    [Test]
    public async Task Under_GitHub_Actions_each_value_is_registered_with_add_mask_and_tasks_are_grouped()
    {
        var summary = Path.GetTempFileName();
        try
        {
            var secrets = TestSecrets.For("STAGING", StagingRef);
            secrets.Remove("SLACK_WEBHOOK_URL");
            var variables = new Dictionary<string, string>(secrets) { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary };
            var run = await SuiteRun.RunAsync(variables, "--target=Validate", "--env=staging");
            run.ExitCode.Should().Be(1);
            run.Out.Should().Contain($"::add-mask::{TestSecrets.DatabasePassword}");
            run.Out.Should().Contain($"::add-mask::{secrets["STAGING_SUPABASE_ANON_KEY"]}");
            run.Out.Should().Contain("::group::ValidateEnvironment").And.Contain("::endgroup::");
            run.Out.Should().Contain("::error::SLACK_WEBHOOK_URL: missing");
            // Outside the add-mask lines themselves, no value appears.
            var withoutMaskCommands = string.Join("\n", run.All.Split('\n').Where(l => !l.StartsWith("::add-mask::")));
            AssertNoSecret(withoutMaskCommands, secrets);
            File.ReadAllText(summary).Should().Contain("`Validate` on `staging` failed").And.Contain("| ValidateEnvironment | failed |");
        }
        finally
        {
            File.Delete(summary);
        }
    }

    [Test]
    public void GitHub_annotations_and_the_step_summary_are_masked_too()
    {
        // The reporter writes to the raw stdout (it exists before the console is masked) and to the summary file.
        var masker = new SecretMasker();
        masker.Add("hook-secret-123456");
        var output = new StringWriter();
        var summary = Path.GetTempFileName();
        try
        {
            var reporter = new Build.Ci.GitHubActionsReporter(output, summary, masker.Apply);
            reporter.Error("POST https://hooks.example/hook-secret-123456 failed", title: "Notify hook-secret-123456");
            reporter.Summary("| url | https://hooks.example/hook-secret-123456 |");
            output.ToString().Should().Contain("::error title=Notify ***::POST https://hooks.example/*** failed").And.NotContain("hook-secret-123456");
            File.ReadAllText(summary).Should().Contain("https://hooks.example/***").And.NotContain("hook-secret-123456");
        }
        finally
        {
            File.Delete(summary);
        }
    }

    [Test]
    public async Task An_exception_message_carrying_a_secret_is_masked_when_printed()
    {
        var masker = new SecretMasker();
        masker.Add("leaky-token-123456");
        var host = new CakeHost<LeakContext>(typeof(MaskingTests).Assembly, [typeof(Leak)])
        {
            ContextFactory = (cake, _) => new LeakContext(cake),
            OutputFilter = w => new MaskingTextWriter(w, masker),
            Environment = new HostEnvironment { WorkingDirectory = Path.GetTempPath(), GetVariable = _ => null },
        };
        using var capture = new ConsoleCapture();
        var code = await host.RunAsync(["--target=Leak", "--verbosity=diagnostic"]);
        code.Should().Be(1);
        capture.All.Should().Contain("request failed for ***").And.NotContain("leaky-token-123456");
    }

    public sealed class LeakContext(ICakeContext c) : FrostingContext(c);

    [TaskName("Leak"), TaskDescription("throws with a secret in its message")]
    public sealed class Leak : FrostingTask<LeakContext>
    {
        public override void Run(LeakContext context) => throw new HttpRequestException("request failed for leaky-token-123456");
    }

    private static void AssertNoSecret(string output, IReadOnlyDictionary<string, string> secrets)
    {
        output.Should().NotContain(TestSecrets.DatabasePassword);
        // Host, user, host-key fingerprint and API URL are not secrets and are shown on purpose.
        foreach (var (name, value) in secrets.Where(s => SecretNames.IsSensitiveVariable(s.Key)))
            foreach (var line in value.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 8 && !l.StartsWith("-----")))
                output.Should().NotContain(line, $"the value of {name} must be masked");
    }
}
