using System.Text;
using Build.Configuration;
using Build.Tests.Infrastructure;

namespace Build.Tests.Validation;

/// <summary>environments.json as a careless or hostile editor leaves it: nulls, a BOM, a key given twice, a deploy
/// folder that is the whole disk, a folder given as --config. Each is an error naming the JSON path, never a .NET
/// exception text.</summary>
public class ConfigurationFaultTests
{
    private const string Minimal = """
        { "project": { "name": "app" },
          "environments": { "staging": { "secretPrefix": "STAGING", "deploys": true, "requiresApproval": true,
            "vps": { "basePath": "/var/www/app", "pm2AppName": "app",
                     "nginxUpstreamFile": "/etc/nginx/conf.d/app.conf" } } } }
        """;

    private static IReadOnlyList<ConfigurationError> Errors(string json, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (bom) bytes = [0xEF, 0xBB, 0xBF, .. bytes];
        var act = () => ConfigurationLoader.Parse(bytes, "environments.json");
        return act.Should().Throw<ConfigurationException>().Which.Errors;
    }

    [TestCase("\"project\": { \"name\": \"app\" }", "\"project\": null", "$.project", "expected an object, got null")]
    [TestCase(
        "\"secretPrefix\": \"STAGING\"",
        "\"secretPrefix\": null",
        "$.environments.staging.secretPrefix",
        "expected a string, got null"
    )]
    [TestCase(
        "\"deploys\": true",
        "\"deploys\": true, \"healthUrls\": null",
        "$.environments.staging.healthUrls",
        "expected an array, got null"
    )]
    [TestCase(
        "\"pm2AppName\": \"app\"",
        "\"pm2AppName\": \"app\", \"ports\": null",
        "$.environments.staging.vps.ports",
        "expected an array, got null"
    )]
    [TestCase(
        "\"deploys\": true",
        "\"deploys\": true, \"healthUrls\": [\"https://a.example/health\", null]",
        "$.environments.staging.healthUrls[1]",
        "expected a string, got null"
    )]
    [TestCase(
        "\"deploys\": true",
        "\"deploys\": true, \"backup\": null",
        "$.environments.staging.backup",
        "expected an object, got null"
    )]
    [TestCase(
        "\"environments\": {",
        "\"acceptedSharedDatabases\": null, \"environments\": {",
        "$.acceptedSharedDatabases",
        "expected an array, got null"
    )]
    public void A_null_where_a_value_is_needed_is_an_error_naming_the_path(
        string from,
        string to,
        string path,
        string message
    )
    {
        var json = Minimal.Replace(from, to);
        json.Should().NotBe(Minimal);
        var errors = Errors(json);
        errors
            .Should()
            .ContainSingle()
            .Which.Should()
            .Match<ConfigurationError>(e => e.JsonPath == path && e.Message.StartsWith(message));
        errors[0].ToString().Should().NotContain("NullReference").And.NotContain("Object reference");
    }

    [Test]
    public void Null_stays_allowed_where_the_model_says_so()
    {
        var config = ConfigurationLoader.Parse(
            Encoding.UTF8.GetBytes(
                Minimal.Replace(
                    "\"deploys\": true",
                    "\"deploys\": true, \"branch\": null, \"supabaseProjectRef\": null, \"app\": null"
                )
            ),
            "environments.json"
        );
        config.Environments["staging"].Branch.Should().BeNull();
    }

    [Test]
    public void A_utf8_byte_order_mark_is_accepted()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Require.RepositoryRoot, "build", "environments.json"));
        var config = ConfigurationLoader.Parse([0xEF, 0xBB, 0xBF, .. bytes], "environments.json");
        config.Environments.Should().ContainKey("production");
        // Lines are still counted right after the BOM.
        Errors(Minimal.Replace("\"STAGING\"", "\"staging\""), bom: true).Single().Line.Should().Be(2);
    }

    [Test]
    public void A_key_given_twice_is_an_error_naming_its_path_and_both_lines()
    {
        var json = Minimal.Replace(
            "\"requiresApproval\": true,",
            "\"requiresApproval\": true,\n    \"requiresApproval\": false,"
        );
        var error = Errors(json).Should().ContainSingle().Which;
        error.JsonPath.Should().Be("$.environments.staging.requiresApproval");
        error.Line.Should().Be(3);
        error.Message.Should().Contain("given twice (first on line 2)");
    }

    [Test]
    public void An_environment_given_twice_is_one_error_not_one_per_key()
    {
        var json = Minimal.Replace(
            "\"environments\": {",
            "\"environments\": { \"staging\": { \"secretPrefix\": \"OTHER\" },"
        );
        Errors(json).Should().ContainSingle().Which.JsonPath.Should().Be("$.environments.staging");
    }

    [TestCase("/", "file system's root")]
    [TestCase("//", "file system's root")]
    [TestCase("/.", "file system's root")]
    [TestCase("/var", "system folder")]
    [TestCase("/etc/", "system folder")]
    [TestCase("/var/www/../..", "'..'")]
    public void A_base_path_that_is_the_root_or_a_system_folder_is_refused(string basePath, string reason)
    {
        var errors = Errors(Minimal.Replace("\"/var/www/app\"", $"\"{basePath}\""));
        errors
            .Should()
            .ContainSingle()
            .Which.Should()
            .Match<ConfigurationError>(e =>
                e.JsonPath == "$.environments.staging.vps.basePath" && e.Message.Contains(reason)
            );
    }

    [Test]
    public async Task A_directory_given_as_config_says_it_is_a_directory()
    {
        var directory = Directory.CreateTempSubdirectory("suite-config-dir-").FullName;
        try
        {
            var act = () => ConfigurationLoader.Load(directory);
            act.Should()
                .Throw<ConfigurationException>()
                .Which.Errors.Single()
                .Message.Should()
                .Contain("is a directory")
                .And.Contain("environments.json");
            var run = await SuiteRun.RunAsync(
                null,
                "--target=ValidateEnvironment",
                "--env=local",
                $"--config={directory}"
            );
            run.ExitCode.Should().NotBe(0);
            run.All.Should().Contain("is a directory, not a file").And.NotContain("file not found");
        }
        finally
        {
            Directory.Delete(directory);
        }
    }
}
