using Build.Configuration;
using Build.Secrets;
using Build.Tests.Infrastructure;
using Build.Validation;

namespace Build.Tests.Validation;

/// <summary>Each environment has its own .env.&lt;env&gt;.template with its own prefix, and a file holding another
/// environment's names is warned about.</summary>
public class DotEnvTemplateTests
{
    private static EnvironmentsFile Shipped() =>
        ConfigurationLoader.Load(Path.Combine(Require.RepositoryRoot, "build", "environments.json"));

    [Test]
    public void Every_environment_has_a_current_template()
    {
        // UPDATE_ENV_TEMPLATES=1 rewrites them (after a change to environments.json or to the secrets).
        var update = Environment.GetEnvironmentVariable("UPDATE_ENV_TEMPLATES") == "1";
        foreach (var environment in Shipped().Environments.Values)
        {
            var path = Path.Combine(Require.RepositoryRoot, DotEnvTemplate.FileName(environment.Name));
            var expected = DotEnvTemplate.Render(environment);
            if (update) File.WriteAllText(path, expected);
            File.Exists(path).Should().BeTrue($"{DotEnvTemplate.FileName(environment.Name)} must exist");
            File.ReadAllText(path)
                .Should()
                .Be(
                    expected,
                    $"{DotEnvTemplate.FileName(environment.Name)} is stale: rewrite it with UPDATE_ENV_TEMPLATES=1 " +
                    "dotnet test tests --filter FullyQualifiedName~DotEnvTemplateTests"
                );
        }
    }

    [Test]
    public void A_template_holds_every_variable_its_environment_requires_with_its_own_prefix_only()
    {
        var config = Shipped();
        foreach (var environment in config.Environments.Values)
        {
            var names = DotEnvFile
                .Parse(DotEnvTemplate.Render(environment).Split('\n'), "template")
                .Select(e => e.Key)
                .ToList();
            foreach (var secret in SecretValidator.RequiredFor(environment))
                names
                    .Should()
                    .Contain(
                        SecretNames.VariablesFor(secret, environment.SecretPrefix)[0],
                        $"'{environment.Name}' needs it"
                    );
            foreach (var other in config.Environments.Values.Where(e => e.Name != environment.Name))
                names
                    .Should()
                    .NotContain(
                        n => n.StartsWith(other.SecretPrefix + "_"),
                        $"the {environment.Name} template must not hold {other.SecretPrefix}_ names"
                    );
        }
    }

    [Test]
    public void A_filled_in_production_template_passes_validation_where_the_staging_one_is_warned_about()
    {
        using var repository = ScratchRepository.Create();
        var production = Shipped().Environments["production"];
        var values = TestSecrets.For("PROD", production.SupabaseProjectRef!);
        string Fill(string template, IReadOnlyDictionary<string, string> v) =>
            string.Join(
                "\n",
                template
                    .Split('\n')
                    .Select(line =>
                        line.EndsWith('=') && v.TryGetValue(line[..^1], out var value)
                            ? $"{line}\"{value.Trim()}\""
                            : line
                    )
            );
        repository.Write(".env.production", Fill(DotEnvTemplate.Render(production), values));
        var good = SuiteRun
            .RunInAsync(repository.Root, null, "--target=ValidateEnvironment", "--env=production")
            .GetAwaiter()
            .GetResult();
        good.ExitCode.Should().Be(0, good.All);
        good.All.Should().NotContain("has the prefix of");

        // The old trap: the staging template copied to .env.production.
        var staging = Shipped().Environments["staging"];
        repository.Write(
            ".env.production",
            Fill(DotEnvTemplate.Render(staging), TestSecrets.For("STAGING", staging.SupabaseProjectRef!))
        );
        var wrong = SuiteRun
            .RunInAsync(repository.Root, null, "--target=ValidateEnvironment", "--env=production")
            .GetAwaiter()
            .GetResult();
        wrong.ExitCode.Should().Be(1);
        wrong
            .All.Should()
            .MatchRegex(
                @"\.env\.production:\d+: STAGING_DATABASE_URL: has the prefix of 'staging' \(STAGING_\), but " +
                @"\.env\.production is read only for 'production'"
            )
            .And.Contain("Rename it to PROD_DATABASE_URL or move it to .env.staging");
        wrong.All.Should().Contain("PROD_DATABASE_URL: missing (needed by 'production'; see .env.production.template)");
    }

    [Test]
    public async Task A_variable_given_twice_in_a_dotenv_file_is_a_warning_saying_which_one_is_used()
    {
        using var repository = ScratchRepository.Create();
        repository.Write(
            ".env.local",
            "LOCAL_DATABASE_URL=postgresql://a@127.0.0.1:1/x\n# " +
            "later\nLOCAL_DATABASE_URL=postgresql://b@127.0.0.1:1/x\n"
        );
        var run = await SuiteRun.RunInAsync(repository.Root, null, "--target=ValidateEnvironment", "--env=local");
        run.All.Should()
            .Contain(".env.local:3: LOCAL_DATABASE_URL: is given twice (first on line 1): this later one is used");
    }
}
