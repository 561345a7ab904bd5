using Build.Secrets;
using Build.Tests.Infrastructure;

namespace Build.Tests.Validation;

/// <summary>.env.&lt;env&gt; lines as people really write them, and the mistakes they make: every error names the
/// file, the line and the variable, never the value.</summary>
public class DotEnvFileTests
{
    private const string Secret = "Sup3r-Secret-Value";
    private const string File = "/repo/.env.staging";

    private static DotEnvFormatException Refused(params string[] lines)
    {
        var act = () => DotEnvFile.Parse(lines, File);
        return act.Should().Throw<DotEnvFormatException>().Which;
    }

    [TestCase("STAGING_DATABASE_URL postgresql://u:" + Secret + "@h:5432/db?sslmode=require", "a space follows the name where '=' belongs")]
    [TestCase("STAGING_DATABASE_URL: postgresql://u:" + Secret + "@h:5432/db?sslmode=require", "written as NAME: value")]
    [TestCase("STAGING_SUPABASE_SERVICE_ROLE_KEY:" + Secret + "=", "written as NAME: value")]
    [TestCase("STAGING_VPS_SSH_KEY " + Secret, "a space follows the name where '=' belongs")]
    public void A_space_or_a_colon_instead_of_equals_names_file_line_and_variable_but_never_the_value(string line, string problem)
    {
        var error = Refused("# staging", line);
        error.Line.Should().Be(2);
        error.Variable.Should().Be(line[..line.IndexOfAny([' ', ':'])]);
        error.Message.Should().StartWith($"{File}:2: {error.Variable}: ").And.Contain(problem).And.Contain("expected NAME=value");
        error.Message.Should().NotContain(Secret).And.NotContain("postgresql").And.NotContain("sslmode");
    }

    [TestCase("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU" + Secret)]
    [TestCase("?sslmode=require&password=" + Secret)]
    [TestCase("  " + Secret + " = x")]
    public void A_line_that_is_not_an_assignment_is_not_shown_at_all(string line)
    {
        var error = Refused("GOOD_NAME=1", line);
        error.Message.Should().StartWith($"{File}:2: ").And.NotContain(Secret).And.NotContain("b3Bl").And.NotContain("sslmode");
    }

    [Test]
    public void Quoted_values_may_be_followed_by_a_comment()
    {
        var entries = DotEnvFile.Parse([
            "STAGING_DATABASE_URL=\"postgresql://u:p@h:5432/db\" # the pooler",
            "STAGING_VPS_USER='deploy'   # who logs in",
            "STAGING_VPS_SSH_KEY=\"-----BEGIN OPENSSH PRIVATE KEY-----",
            "AAAA",
            "-----END OPENSSH PRIVATE KEY-----\" # deploy-only key",
            "STAGING_VPS_HOST=vps.example.org # the box",
            "SLACK_WEBHOOK_URL=\"https://hooks.example/a\\\"b\"",
            "DISCORD_WEBHOOK_URL=pa#ss#word",
        ], File).ToDictionary(e => e.Key);
        entries["STAGING_DATABASE_URL"].Value.Should().Be("postgresql://u:p@h:5432/db");
        entries["STAGING_VPS_USER"].Value.Should().Be("deploy");
        entries["STAGING_VPS_SSH_KEY"].Should().Be(new DotEnvEntry("STAGING_VPS_SSH_KEY", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----", 3));
        entries["STAGING_VPS_HOST"].Value.Should().Be("vps.example.org");
        entries["SLACK_WEBHOOK_URL"].Value.Should().Be("https://hooks.example/a\"b");
        entries["DISCORD_WEBHOOK_URL"].Value.Should().Be("pa#ss#word", "a # inside a value is not a comment");
    }

    [Test]
    public void Text_after_a_closing_quote_or_a_quote_never_closed_names_the_variable()
    {
        var trailing = Refused("STAGING_DATABASE_URL=\"postgresql://u:p@h/db\" " + Secret);
        trailing.Message.Should().Be($"{File}:1: STAGING_DATABASE_URL: text follows the closing quote; only a # comment may follow a quoted value");
        var open = Refused("STAGING_VPS_SSH_KEY=\"" + Secret, "more");
        open.Message.Should().Be($"{File}:1: STAGING_VPS_SSH_KEY: the double-quoted value is never closed (add the closing \")");
    }

    [TestCase("STAGING_VPS_HOST", "STAGING_VPS_HOST: has no '='; expected NAME=value")]
    [TestCase("export STAGING_VPS_HOST: vps.example.org", "STAGING_VPS_HOST: written as NAME: value; expected NAME=value")]
    [TestCase("STAGING_VPS-HOST=vps.example.org", "STAGING_VPS: the name is followed by a character that cannot be part of a name; expected NAME=value")]
    [TestCase("STAGINGHOST-X=vps.example.org", "the name is followed by a character that cannot be part of a name; expected NAME=value (the text is not shown: it may be a secret)")]
    [TestCase("staging_vps_host vps.example.org", "a space follows the name where '=' belongs; expected NAME=value (the text is not shown: it may be a secret)")]
    [TestCase("9LIVES=x", "expected NAME=value; this line does not start with a variable name (its text is not shown: it may be a secret)")]
    [TestCase("=x", "expected NAME=value; this line does not start with a variable name (its text is not shown: it may be a secret)")]
    public void Each_kind_of_malformed_line_gets_its_own_message(string line, string message)
    {
        Refused("# staging", line).Message.Should().Be($"{File}:2: {message}");
    }

    private const string Name64 = "A_BCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789_ABCDEFGHIJKLMNOPQRSTUVWXY";

    // Shown: upper case, digits and '_', starting with a letter or '_', holding a '_', at most 64 characters.
    [TestCase("STAGING_VPS_HOST", true)]
    [TestCase("S3_BUCKET", true)]
    [TestCase("_PRIVATE_KEY", true)]
    [TestCase(Name64, true)]
    [TestCase(Name64 + "X", false)]
    [TestCase("STAGINGHOST", false)]
    [TestCase("staging_vps_host", false)]
    [TestCase("STAGING_vps_host", false)]
    [TestCase("Staging_Vps_Host", false)]
    public void Only_a_name_shaped_like_the_suites_variables_is_shown_in_an_error(string name, bool shown)
    {
        var error = Refused(name + " " + Secret);
        error.Variable.Should().Be(shown ? name : null);
        error.Message.Should().Be(shown
            ? $"{File}:1: {name}: a space follows the name where '=' belongs; expected NAME=value"
            : $"{File}:1: a space follows the name where '=' belongs; expected NAME=value (the text is not shown: it may be a secret)");
    }

    [Test]
    public void Quoted_values_may_be_empty_and_double_quotes_unescape_only_newline_quote_and_backslash()
    {
        var entries = DotEnvFile.Parse([
            "EMPTY_DOUBLE=\"\"",
            "EMPTY_SINGLE=''",
            @"ESCAPED=""one\ntwo \""q\"" back\\slash \d""",
            @"WINDOWS_DIR=""C:\\""",
            "RAW_SINGLE='a\\nb \" # kept'",
            @"CONTINUED=""ends in a backslash\",
            @"next line""",
            "AFTER=1",
        ], File).ToDictionary(e => e.Key, e => e.Value);
        entries.Should().Equal(new Dictionary<string, string>
        {
            ["EMPTY_DOUBLE"] = "",
            ["EMPTY_SINGLE"] = "",
            ["ESCAPED"] = "one\ntwo \"q\" back\\slash \\d",
            ["WINDOWS_DIR"] = "C:\\",
            ["RAW_SINGLE"] = "a\\nb \" # kept",
            ["CONTINUED"] = "ends in a backslash\\\nnext line",
            ["AFTER"] = "1",
        });
    }

    [TestCase("PLAIN=value # note", "value")]
    [TestCase("PLAIN=value\t# note", "value")]
    [TestCase("PLAIN= # to be filled in", "")]
    [TestCase("PLAIN=#starts-with-a-hash", "#starts-with-a-hash")]
    [TestCase("PLAIN=ends-with-a-hash#", "ends-with-a-hash#")]
    [TestCase("PLAIN=p# q", "p# q")]
    [TestCase("PLAIN=  spaced out  ", "spaced out")]
    public void A_hash_starts_a_comment_in_an_unquoted_value_only_after_a_space(string line, string value)
    {
        DotEnvFile.Parse([line], File).Should().Equal(new DotEnvEntry("PLAIN", value, 1));
    }

    [Test]
    public void A_single_quoted_value_never_closed_or_followed_by_text_and_text_after_a_multi_line_value_name_their_line()
    {
        Refused("STAGING_VPS_USER='deploy").Message.Should()
            .Be($"{File}:1: STAGING_VPS_USER: the single-quoted value is never closed (add the closing ')");
        Refused("STAGING_VPS_USER='deploy' " + Secret).Message.Should()
            .Be($"{File}:1: STAGING_VPS_USER: text follows the closing quote; only a # comment may follow a quoted value");
        Refused("A_B=1", "STAGING_VPS_SSH_KEY=\"-----BEGIN", "AAAA", "-----END\" " + Secret).Message.Should()
            .Be($"{File}:4: STAGING_VPS_SSH_KEY: text follows the closing quote; only a # comment may follow a quoted value");
    }

    [Test]
    public async Task A_malformed_file_stops_the_run_naming_file_line_and_variable_never_the_value()
    {
        using var repository = ScratchRepository.Create();
        repository.Write(".env.staging", $"STAGING_VPS_HOST=vps.example.org\nSTAGING_DATABASE_URL postgresql://postgres:{Secret}@db.example.com:5432/postgres\n");
        var summary = Path.GetTempFileName();
        var variables = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary };
        var run = await SuiteRun.RunInAsync(repository.Root, variables, "--target=ValidateEnvironment", "--env=staging");
        System.IO.File.Delete(summary);
        run.ExitCode.Should().NotBe(0);
        run.Out.Should().Contain("::error file=.env.staging,line=2::", "the annotation points at the line");
        run.All.Should().Contain("Error: .env.staging:2: STAGING_DATABASE_URL: a space follows the name where '=' belongs");
        run.All.Should().NotContain(Secret).And.NotContain("db.example.com");
    }
}
