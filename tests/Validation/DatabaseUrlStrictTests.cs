using Build.Migrations.Database;
using Build.Tests.Infrastructure;

namespace Build.Tests.Validation;

/// <summary>Database URLs are read strictly: a password with an unencoded reserved character is refused with the fix,
/// and no piece of it reaches the console, a GitHub annotation or the step summary.</summary>
public class DatabaseUrlStrictTests
{
    private const string StagingRef = "rvjmwwvkhglcuqwcznph";

    [TestCase(
        "postgresql://postgres:p%40ss%2Fw%23rd@db.example.com:6000/app?sslmode=require",
        "db.example.com",
        6000,
        "postgres",
        "p@ss/w#rd",
        "app"
    )]
    [TestCase("postgres://u@localhost/postgres", "localhost", null, "u", null, "postgres")]
    [TestCase("postgresql://u:pw@[::1]:5433", "::1", 5433, "u", "pw", null)]
    [TestCase(
        "postgresql://postgres:postgres@supabase_db_muva:5432/postgres",
        "supabase_db_muva",
        5432,
        "postgres",
        "postgres",
        "postgres"
    )]
    [TestCase(
        "postgresql://postgres.abc:Pa$$w0rd!*(),;=@aws-0-eu-central-1.pooler.supabase.com:5432/postgres",
        "aws-0-eu-central-1.pooler.supabase.com",
        5432,
        "postgres.abc",
        "Pa$$w0rd!*(),;=",
        "postgres"
    )]
    public void Well_formed_urls_are_read(
        string url,
        string host,
        int? port,
        string user,
        string? password,
        string? database
    )
    {
        DatabaseUrl
            .Parse(url)
            .Should()
            .BeEquivalentTo(
                new
                {
                    Host = host,
                    Port = port,
                    User = user,
                    Password = password,
                    Database = database,
                }
            );
    }

    [TestCase("postgresql://leakuser:4711/T4ilSecret@db.example.com:5432/postgres", "unencoded '/', '@' or '?'")]
    [TestCase("postgresql://leakuser:4711@T4ilSecret@db.example.com:5432/postgres", "unencoded '/', '@' or '?'")]
    [TestCase("postgresql://leakuser:4711#T4ilSecret@db.example.com:5432/postgres", "contains '#'")]
    [TestCase("postgresql://leakuser:4711?T4ilSecret@db.example.com:5432/postgres", "unencoded '/', '@' or '?'")]
    [TestCase("postgresql://leakuser:4711 T4ilSecret@db.example.com:5432/postgres", "must be percent-encoded")]
    [TestCase("postgresql://leakuser:4711%T4ilSecret@db.example.com:5432/postgres", "must be percent-encoded")]
    [TestCase(
        "postgresql://leakuser:T4ilSecret@db.example.com:4711T4ilSecret/postgres",
        "not a number between 1 and 65535"
    )]
    public void A_password_with_an_unencoded_reserved_character_is_refused_showing_none_of_it(
        string url,
        string problem
    )
    {
        var act = () => DatabaseUrl.Parse(url);
        var message = act.Should().Throw<DatabaseUrlFormatException>().Which.Message;
        message.Should().Contain(problem).And.Contain("Percent-encode").And.Contain("%2F");
        foreach (var piece in new[] { "leakuser", "4711", "T4ilSecret", "db.example.com" })
            message.Should().NotContain(piece);
    }

    [Test]
    public async Task Validate_refuses_it_by_variable_with_the_hint()
    {
        var secrets = TestSecrets.For("STAGING", StagingRef);
        secrets["STAGING_DATABASE_URL"] =
            $"postgresql://postgres.{StagingRef}:4711/T4ilSecret@aws-0-eu-central-1.pooler.supabase.com:5432/postgres";
        var run = await SuiteRun.RunAsync(secrets, "--target=ValidateEnvironment", "--env=staging");
        run.ExitCode.Should().Be(1);
        run.All.Should()
            .Contain("STAGING_DATABASE_URL: has a user name or password with an unencoded '/', '@' or '?'")
            .And.Contain("%2F");
        run.All.Should().NotContain("4711").And.NotContain("T4ilSecret");
    }

    [Test]
    public async Task A_run_that_needs_the_database_stops_before_connecting_and_leaks_nothing_to_console_annotations_or_summary()
    {
        var summary = Path.GetTempFileName();
        try
        {
            var secrets = TestSecrets.For("STAGING", StagingRef);
            secrets["STAGING_DATABASE_URL"] = "postgresql://leakuser:4711/T4ilSecret@127.0.0.1:5432/postgres";
            var variables = new Dictionary<string, string>(secrets)
            {
                ["GITHUB_ACTIONS"] = "true",
                ["GITHUB_STEP_SUMMARY"] = summary,
            };
            var run = await SuiteRun.RunAsync(variables, "--target=BackupDb", "--env=staging", "--exclusive");
            run.ExitCode.Should().Be(1);
            run.All.Should()
                .Contain("STAGING_DATABASE_URL has a user name or password with an unencoded")
                .And.Contain("::error");
            var visible = string.Join("\n", run.All.Split('\n').Where(l => !l.StartsWith("::add-mask::")));
            var summaryText = File.ReadAllText(summary);
            foreach (var piece in new[] { "leakuser:4711", "4711/T4il", "T4ilSecret" })
            {
                visible.Should().NotContain(piece);
                summaryText.Should().NotContain(piece);
            }
        }
        finally
        {
            File.Delete(summary);
        }
    }
}
