using Build.Configuration;
using Build.Deploy;
using Build.Health;

namespace Build.Tests.Health;

[TestFixture]
public sealed class HealthTargetsTests
{
    private static EnvironmentSettings Environment(string name, string? publicUrl, params string[] healthUrls) => new()
    {
        Name = name,
        PublicUrl = publicUrl,
        HealthUrls = healthUrls.ToList(),
        SecretPrefix = name.ToUpperInvariant(),
        Vps = new DeploySettings { BasePath = "/srv/app", AppName = "app", HealthPath = "/api/health" },
    };

    [Test]
    public void Uses_the_configured_health_urls() =>
        HealthTargets
            .Resolve(
                Environment(
                    "staging",
                    "https://staging.example.test",
                    "https://staging.example.test/api/health",
                    "https://staging.example.test/api/health/db"
                ),
                []
            )
            .Select(u => u.ToString())
            .Should()
            .Equal("https://staging.example.test/api/health", "https://staging.example.test/api/health/db");

    [Test]
    public void Url_arguments_replace_the_configured_ones() =>
        HealthTargets
            .Resolve(
                Environment("staging", null, "https://staging.example.test/api/health"),
                ["http://127.0.0.1:3000/api/health,http://127.0.0.1:3001/api/health"]
            )
            .Should()
            .HaveCount(2)
            .And.AllSatisfy(u => u.Host.Should().Be("127.0.0.1"));

    [Test]
    public void Without_health_urls_probes_the_public_url_at_the_health_path() =>
        HealthTargets
            .Resolve(Environment("local", "http://127.0.0.1:3100"), [])
            .Single()
            .Should()
            .Be(new Uri("http://127.0.0.1:3100/api/health"));

    [Test]
    public void A_broken_configured_url_is_named_with_its_place_in_the_configuration()
    {
        var act = () =>
            HealthTargets.Resolve(
                Environment("staging", null, "https://ok.example.test/api/health", "staging.example.test/api/health"),
                []
            );
        act.Should()
            .Throw<InvalidOperationException>()
            .WithMessage(
                "environments.staging.healthUrls[1]: 'staging.example.test/api/health' is not an absolute http(s) URL."
            );
    }
}
