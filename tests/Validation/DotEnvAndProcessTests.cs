using Build.Secrets;
using Build.Tests.Infrastructure;

namespace Build.Tests.Validation;

public class DotEnvAndProcessTests
{
    [Test]
    public void A_dotenv_file_reads_quotes_comments_export_and_multi_line_keys()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """
            # staging secrets
            export STAGING_VPS_USER=deploy
            STAGING_DATABASE_URL='postgresql://u:p@h:5432/db'
            STAGING_VPS_HOST=vps.example.org # the box
            STAGING_VPS_SSH_KEY="-----BEGIN OPENSSH PRIVATE KEY-----
            AAAA
            -----END OPENSSH PRIVATE KEY-----"
            """);
        try
        {
            var values = DotEnvFile.Read(path);
            values["STAGING_VPS_USER"].Should().Be("deploy");
            values["STAGING_DATABASE_URL"].Should().Be("postgresql://u:p@h:5432/db");
            values["STAGING_VPS_HOST"].Should().Be("vps.example.org");
            values["STAGING_VPS_SSH_KEY"]
                .Should()
                .Be("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_malformed_line_names_the_file_and_line_but_not_the_value()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "GOOD=1\nthis-is-secret-text\n");
        try
        {
            var act = () => DotEnvFile.Read(path);
            act.Should()
                .Throw<FormatException>()
                .WithMessage($"{path}:2: *expected NAME=value*")
                .Which.Message.Should()
                .NotContain("this-is-secret-text")
                .And.NotContain("this");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Secrets_in_the_environments_dotenv_file_are_used_and_process_variables_win()
    {
        // In a scratch repository: a developer's own .env.staging in the checkout is neither read nor overwritten.
        using var repository = ScratchRepository.Create();
        var dotEnv = Path.Combine(repository.Root, ".env.staging");
        var secrets = TestSecrets.For("STAGING", "rvjmwwvkhglcuqwcznph");
        File.WriteAllLines(
            dotEnv,
            secrets
                .Where(s => s.Key != "STAGING_VPS_SSH_KEY")
                .Select(s => $"{s.Key}='{s.Value}'")
                .Append($"STAGING_VPS_SSH_KEY=\"{secrets["STAGING_VPS_SSH_KEY"].Trim()}\"")
                .Append("STAGING_VPS_HOST=bad_host!")
        );
        var fromFile = await SuiteRun.RunInAsync(
            repository.Root,
            null,
            "--target=ValidateEnvironment",
            "--env=staging"
        );
        fromFile.ExitCode.Should().Be(1, fromFile.All);
        fromFile.All.Should().Contain("STAGING_VPS_HOST: is not a host name").And.Contain("9 required, 9 set");

        var processWins = await SuiteRun.RunInAsync(
            repository.Root,
            new Dictionary<string, string> { ["STAGING_VPS_HOST"] = "vps.example.org" },
            "--target=ValidateEnvironment",
            "--env=staging"
        );
        processWins.ExitCode.Should().Be(0, processWins.All);
    }

    [Test]
    public void The_built_program_run_as_a_process_lists_missing_staging_variables_and_exits_1()
    {
        // The real entry point, as build.sh runs it, with an environment holding no secrets at all.
        var dll = Path.Combine(AppContext.BaseDirectory, "Build.dll");
        var secrets = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.Contains("STAGING") || k.StartsWith("VPS_") || k.EndsWith("_WEBHOOK_URL"));
        var run = ChildProcess.Run(
            "dotnet",
            [dll, "--target=Validate", "--env=staging"],
            Require.RepositoryRoot,
            secrets.Select(k => new KeyValuePair<string, string?>(k, null)).Append(new("NO_COLOR", "1")),
            TimeSpan.FromSeconds(60)
        );
        var output = run.All;
        run.ExitCode.Should().Be(1, output);
        output.Should().Contain("STAGING_DATABASE_URL: missing").And.Contain("SLACK_WEBHOOK_URL: missing");
        output.Should().MatchRegex(@"ValidateEnvironment\s+\S+\s+Failed");
    }
}
