using System.Text;
using Build.Configuration;
using Build.Tests.Infrastructure;

namespace Build.Tests.Validation;

public class ConfigurationLoaderTests
{
    private static EnvironmentsFile Parse(string json) =>
        ConfigurationLoader.Parse(Encoding.UTF8.GetBytes(json), "environments.json");

    private static IReadOnlyList<ConfigurationError> Errors(string json)
    {
        var act = () => Parse(json);
        return act.Should().Throw<ConfigurationException>().Which.Errors;
    }

    [Test]
    public void The_shipped_file_is_valid_and_describes_the_four_environments()
    {
        var config = ConfigurationLoader.Load(Path.Combine(Require.RepositoryRoot, "build/environments.json"));
        config.Environments.Keys.Should().BeEquivalentTo("local", "dev", "staging", "production");
        config.Environments["staging"].SupabaseProjectRef.Should().Be("rvjmwwvkhglcuqwcznph");
        config.Environments["production"].Vps!.BasePath.Should().Be("/var/www/muva-chat");
        config.Environments["staging"].Vps!.BasePath.Should().Be("/var/www/muva-chat-staging");
        config.Environments["dev"].Deploys.Should().BeFalse();
        config.Environments["production"].RequiresApproval.Should().BeTrue();
    }

    [Test]
    public void Reports_every_error_at_once_with_its_json_path_line_and_expectation()
    {
        const string json = """
            {
              "project": { "name": "app" },
              "environments": {
                "staging": {
                  "secretPrefix": "staging",
                  "supabaseProjectRef": "not-a-ref",
                  "deploys": true,
                  "publicUrl": "staging.example.com",
                  "vps": { "basePath": "var/www", "pm2AppName": "app", "ports": [3000, 70000],
                           "nginxUpstreamFile": "/etc/x" }
                }
              }
            }
            """;
        var errors = Errors(json);
        errors
            .Select(e => e.JsonPath)
            .Should()
            .Contain([
                "$.environments.staging.secretPrefix",
                "$.environments.staging.supabaseProjectRef",
                "$.environments.staging.publicUrl",
                "$.environments.staging.vps.basePath",
                "$.environments.staging.vps.ports[1]",
            ]);
        errors
            .Single(e => e.JsonPath.EndsWith("ports[1]"))
            .Should()
            .Match<ConfigurationError>(e => e.Line == 9 && e.Message.Contains("between 1 and 65535"));
        errors.Single(e => e.JsonPath.EndsWith("supabaseProjectRef")).Line.Should().Be(6);
        errors.Should().OnlyContain(e => e.File == "environments.json");
    }

    [Test]
    public void Wrong_types_and_unknown_properties_are_named_with_a_suggestion()
    {
        var errors = Errors("""
            { "project": { "name": "app" },
              "environments": { "dev": { "secretPrefix": "DEV", "deploys": "yes", "helthUrls": [] } } }
            """
        );
        errors
            .Should()
            .Contain(e =>
                e.JsonPath == "$.environments.dev.deploys"
                && e.Message == "expected true or false, got the string \"yes\""
            );
        errors
            .Should()
            .Contain(e =>
                e.JsonPath == "$.environments.dev.helthUrls" && e.Message.Contains("did you mean 'healthUrls'?")
            );
    }

    [Test]
    public void Broken_json_names_the_line()
    {
        var errors = Errors("{\n  \"project\": { \"name\": \"app\" },\n  \"environments\": { ,\n}");
        errors
            .Should()
            .ContainSingle()
            .Which.Should()
            .Match<ConfigurationError>(e => e.Line == 3 && e.Message.StartsWith("not valid JSON"));
    }

    [Test]
    public void Hosts_may_carry_their_own_ssh_port_but_not_a_broken_one()
    {
        var errors = Errors("""
            { "project": { "name": "app" },
              "environments": { "a": { "secretPrefix": "A", "deploys": true,
                "vps": { "basePath": "/srv/app", "pm2AppName": "app", "nginxUpstreamFile": "/etc/u",
                         "hosts": ["vps1.example.org:2222", "[::1]:22", "10.0.0.5", "bad host:22", "vps2:99999"] } } } }
            """
        );
        errors
            .Select(e => e.JsonPath)
            .Should()
            .BeEquivalentTo("$.environments.a.vps.hosts[3]", "$.environments.a.vps.hosts[4]");
    }

    [Test]
    public void Two_environments_may_not_share_a_secret_prefix()
    {
        var errors = Errors("""
            { "project": { "name": "app" },
              "environments": { "a": { "secretPrefix": "X" }, "b": { "secretPrefix": "X" } } }
            """
        );
        errors
            .Should()
            .ContainSingle(e =>
                e.JsonPath == "$.environments.b.secretPrefix" && e.Message.Contains("also used by 'a'")
            );
    }

    [Test]
    public void An_accepted_shared_database_needs_real_environments_and_a_reason()
    {
        var errors = Errors("""
            { "project": { "name": "app" },
              "environments": { "a": { "secretPrefix": "A" } },
              "acceptedSharedDatabases": [ { "environments": ["a", "ghost"], "reason": "" } ] }
            """);
        errors.Should().Contain(e => e.Message.Contains("'ghost' is not an environment"));
        errors.Should().Contain(e => e.JsonPath == "$.acceptedSharedDatabases[0].reason");
    }
}
