using Build.Configuration;
using Build.Tests.Infrastructure;
using Build.Validation;

namespace Build.Tests.Validation;

/// <summary>The small readers the checks stand on: a JWT's claims (read, not verified) and the shared format
/// rules.</summary>
public class JwtAndRulesTests
{
    private static string Segment(string json) => Jwt.EncodeSegment(json);

    [Test]
    public void A_jwts_claims_are_read_whatever_the_padding_of_its_segments()
    {
        foreach (var role in new[] { "a", "ab", "abc", "anon", "service_role" })
        {
            var claims = Jwt.TryReadClaims(" " + TestJwt.WithPayload($$"""{"role":"{{role}}","ref":"r"}""") + "\n");
            claims.Should().NotBeNull(role);
            Jwt.Claim(claims!.Value, "role").Should().Be(role);
        }
        Jwt.DecodeSegment(Jwt.EncodeSegment([0xfb, 0xff])).Should().Equal(0xfb, 0xff);
        Jwt.EncodeSegment([0xfb, 0xff]).Should().Be("-_8", "base64url: no padding, - and _ for + and /");
    }

    [Test]
    public void A_claim_that_is_missing_or_not_a_string_is_none()
    {
        var claims = Jwt.TryReadClaims(TestJwt.WithPayload("""{"role":7,"ref":null,"iss":"supabase"}"""))!.Value;
        Jwt.Claim(claims, "role").Should().BeNull();
        Jwt.Claim(claims, "ref").Should().BeNull();
        Jwt.Claim(claims, "sub").Should().BeNull();
        Jwt.Claim(claims, "iss").Should().Be("supabase");
    }

    [TestCase("only.two")]
    [TestCase("a.b.c.d")]
    [TestCase("")]
    public void A_token_without_three_parts_is_not_a_jwt(string token) => Jwt.TryReadClaims(token).Should().BeNull();

    [Test]
    public void A_token_with_an_empty_part_a_header_without_alg_or_a_payload_that_is_not_an_object_is_not_a_jwt()
    {
        var header = Segment("""{"alg":"HS256"}""");
        var payload = Segment("""{"role":"anon"}""");
        Jwt.TryReadClaims($"{header}.{payload}.sig").Should().NotBeNull();
        Jwt.TryReadClaims($"{header}.{payload}.").Should().BeNull();
        Jwt.TryReadClaims($".{payload}.sig").Should().BeNull();
        Jwt.TryReadClaims($"{header}..sig").Should().BeNull();
        Jwt.TryReadClaims($"{Segment("""{"typ":"JWT"}""")}.{payload}.sig").Should().BeNull();
        Jwt.TryReadClaims($"{Segment("""["alg"]""")}.{payload}.sig").Should().BeNull();
        Jwt.TryReadClaims($"{header}.{Segment("""["role"]""")}.sig").Should().BeNull();
        Jwt.TryReadClaims($"{header}.{Segment("\"anon\"")}.sig").Should().BeNull();
        Jwt.TryReadClaims($"{header}.{Segment("{not json")}.sig").Should().BeNull();
        Jwt.TryReadClaims($"{header}.@@@@.sig").Should().BeNull();
    }

    [TestCase("vps.example.org", true)]
    [TestCase("10.0.0.5", true)]
    [TestCase("::1", true)]
    [TestCase("a-b.example", true)]
    [TestCase("-a.example", false)]
    [TestCase("a..example", false)]
    [TestCase("not a host", false)]
    [TestCase("vps.example.org:2222", false)]
    public void Host_names(string host, bool valid) => Rules.IsHostName(host).Should().Be(valid);

    [TestCase("vps.example.org", true)]
    [TestCase("vps.example.org:2222", true)]
    [TestCase("10.0.0.5:1", true)]
    [TestCase("10.0.0.5:65535", true)]
    [TestCase("[::1]:2222", true)]
    [TestCase("::1", true)]
    [TestCase("vps.example.org:0", false)]
    [TestCase("vps.example.org:65536", false)]
    [TestCase("vps.example.org:ssh", false)]
    [TestCase(":2222", false)]
    [TestCase("not a host:22", false)]
    [TestCase("[not a host]:22", false)]
    [TestCase("[vps.example.org]:2222", true)]
    [TestCase("[vps.example.org:2222", false)]
    [TestCase("vps.example.org]:2222", false)]
    public void Hosts_with_an_optional_ssh_port(string host, bool valid) =>
        Rules.IsHostWithOptionalPort(host).Should().Be(valid);

    [TestCase("/var/www/muva-chat", null)]
    [TestCase(".local/www/muva-chat", null)]
    [TestCase("/", "\"/\" is the file system's root")]
    [TestCase("//./", "\"//./\" is the file system's root")]
    [TestCase(
        "/var/www",
        "\"/var/www\" is a system folder: give the app a folder of its own inside it, e.g. /var/www/muva-chat"
    )]
    [TestCase("/etc/", "\"/etc/\" is a system folder: give the app a folder of its own inside it, e.g. /etc/muva-chat")]
    [TestCase("/var/www/../../etc", "without '..' segments")]
    [TestCase(".", "\".\" is the repository itself")]
    [TestCase("./.", "\"./.\" is the repository itself")]
    [TestCase("etc", null)]
    [TestCase("./www/muva-chat", null)]
    public void A_deploy_base_path_must_be_a_folder_of_the_apps_own(string basePath, string? problem)
    {
        var why = Rules.UnsafeBasePath(basePath);
        if (problem is null) why.Should().BeNull();
        else why.Should().Contain(problem);
    }

    [Test]
    public void The_root_and_the_repository_itself_are_refused_with_the_folder_to_give_instead()
    {
        Rules
            .UnsafeBasePath("/")
            .Should()
            .Be(
                "\"/\" is the file system's root: releases, links and pruning there would "
                    + "touch the whole host. Give the app's own folder, e.g. /var/www/muva-chat"
            );
        Rules
            .UnsafeBasePath(".")
            .Should()
            .Be("\".\" is the repository itself: give the local release folder a name, e.g. " + ".local/www/muva-chat");
    }

    // Every top-level system folder, each on its own: the list is what keeps a deploy from pruning inside one.
    [TestCase("/bin")]
    [TestCase("/boot")]
    [TestCase("/dev")]
    [TestCase("/etc")]
    [TestCase("/home")]
    [TestCase("/lib")]
    [TestCase("/lib64")]
    [TestCase("/opt")]
    [TestCase("/proc")]
    [TestCase("/root")]
    [TestCase("/run")]
    [TestCase("/sbin")]
    [TestCase("/srv")]
    [TestCase("/sys")]
    [TestCase("/tmp")]
    [TestCase("/usr")]
    [TestCase("/var")]
    [TestCase("/var/www")]
    public void A_system_folder_is_never_a_deploy_base_path_but_a_folder_inside_it_is(string folder)
    {
        Rules
            .UnsafeBasePath(folder)
            .Should()
            .Be(
                $"\"{folder}\" is a system folder: give the app a folder of its own inside it, e.g. {folder}/muva-chat"
            );
        Rules.UnsafeBasePath(folder + "/muva-chat").Should().BeNull();
    }

    [TestCase("https://muva.example.org/api/health", true)]
    [TestCase("http://127.0.0.1:3000/", true)]
    [TestCase("ftp://muva.example.org/", false)]
    [TestCase("muva.example.org/api/health", false)]
    [TestCase("file:///etc/passwd", false)]
    public void Health_and_public_urls_are_http(string url, bool valid) => Rules.IsHttpUrl(url).Should().Be(valid);

    [TestCase("5s", true)]
    [TestCase("60 min", true)]
    [TestCase(" 250ms ", true)]
    [TestCase("120", true)]
    [TestCase("5 sec", false)]
    [TestCase("-5s", false)]
    public void Postgres_durations(string value, bool valid) => Rules.IsPostgresDuration(value).Should().Be(valid);

    [Test]
    public void Names_prefixes_refs_and_owners()
    {
        Rules.IsEnvironmentName("staging-2").Should().BeTrue();
        Rules.IsEnvironmentName("Staging").Should().BeFalse();
        Rules.IsSecretPrefix("STAGING_2").Should().BeTrue();
        Rules.IsSecretPrefix("staging").Should().BeFalse();
        Rules.IsProjectRef("rvjmwwvkhglcuqwcznph").Should().BeTrue();
        Rules.IsProjectRef("rvjmwwvkhglcuqwcznp").Should().BeFalse();
        Rules.IsPm2Name("muva-chat.blue_1").Should().BeTrue();
        Rules.IsPm2Name("muva chat").Should().BeFalse();
        Rules.IsGitHubOwner("@muva/release-team").Should().BeTrue();
        Rules.IsGitHubOwner("muva").Should().BeFalse();
    }
}
