using System.Text;
using System.Text.Json.Nodes;
using Build.Migrations.Database;
using Build.Tests.Infrastructure;
using Build.Tests.Migrations;
using Npgsql;
using Sodium;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Build.Tests.Data;

/// <summary>
/// RotateDbPassword on the real PostgreSQL, for a throwaway role that must log in with a password (a scram line for
/// it alone at the top of the shared server's pg_hba.conf, which otherwise trusts 127.0.0.1), with GitHub a WireMock
/// that holds a real key pair: the sealed secret it receives is opened here, so the test knows the new password.
/// </summary>
[NonParallelizable]
public class RotateDbPasswordTests
{
    private const string Repo = "/repos/muva-chat/muva-chat";
    private WireMockServer _github = null!;
    private KeyPair _keys = null!;
    private string _role = null!;
    private string _oldPassword = null!;
    private string _oldUrl = null!;
    private string _hbaFile = null!;
    private string _hbaOriginal = null!;

    [SetUp]
    public async Task Start()
    {
        var server = await PostgresServerFixture.GetServerAsync();
        var database = await PostgresServerFixture.CreateDatabaseAsync("rotate");
        _role = "rotate_" + Guid.NewGuid().ToString("N")[..10];
        _oldPassword = "Old-" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(server.AdminConnectionString))
        {
            await admin.OpenAsync();
            await Execute(admin, $"CREATE ROLE {_role} LOGIN PASSWORD '{_oldPassword}'");
            _hbaFile = (string)(await new NpgsqlCommand("SHOW hba_file", admin).ExecuteScalarAsync())!;
            _hbaOriginal = await File.ReadAllTextAsync(_hbaFile);
            await File.WriteAllTextAsync(
                _hbaFile,
                $"host all {_role} 127.0.0.1/32 scram-sha-256\nhost all {_role} ::1/128 scram-sha-256\n" + _hbaOriginal
            );
            await Execute(admin, "SELECT pg_reload_conf()");
        }
        var builder = new NpgsqlConnectionStringBuilder(database) { Username = _role, Password = _oldPassword };
        _oldUrl = DatabaseUrl.ToUrl(builder.ConnectionString);
        // The reload is a signal: wait until a wrong password is refused, so "the old one does not work" can fail.
        for (
            var i = 0;
            i < 50
                && await LogsIn(
                    DatabaseUrl.ToUrl(
                        new NpgsqlConnectionStringBuilder(builder.ConnectionString)
                        {
                            Password = "wrong",
                        }.ConnectionString
                    )
                );
            i++
        )
            await Task.Delay(100);
        (await LogsIn(_oldUrl)).Should().BeTrue("the role logs in with its password before the rotation");

        _github = WireMockServer.Start();
        _keys = PublicKeyBox.GenerateKeyPair();
        _github
            .Given(Request.Create().WithPath($"{Repo}/environments/staging/secrets/public-key").UsingGet())
            .RespondWith(
                Response
                    .Create()
                    .WithStatusCode(200)
                    .WithHeader("Content-Type", "application/json")
                    .WithBody(
                        new JsonObject
                        {
                            ["key_id"] = "key-staging",
                            ["key"] = Convert.ToBase64String(_keys.PublicKey),
                        }.ToJsonString()
                    )
            );
    }

    [TearDown]
    public async Task Stop()
    {
        _github?.Stop();
        if (_hbaFile is null) return;
        await File.WriteAllTextAsync(_hbaFile, _hbaOriginal);
        await using var admin = new NpgsqlConnection(
            (await PostgresServerFixture.GetServerAsync()).AdminConnectionString
        );
        await admin.OpenAsync();
        await Execute(admin, "SELECT pg_reload_conf()");
        await Execute(admin, $"DROP ROLE IF EXISTS {_role}");
    }

    private void GitHubPutAnswers(int status) =>
        _github
            .Given(Request.Create().WithPath($"{Repo}/environments/staging/secrets/STAGING_DATABASE_URL").UsingPut())
            .RespondWith(
                Response
                    .Create()
                    .WithStatusCode(status)
                    .WithHeader("Content-Type", "application/json")
                    .WithBody(status < 300 ? "{}" : "{\"message\":\"Server Error\"}")
            );

    /// <summary>Every URL GitHub was sent, opened with the private key.</summary>
    private List<string> SealedUrls() =>
        _github
            .LogEntries.Where(e => e.RequestMessage.Method == "PUT")
            .Select(e => JsonNode.Parse(e.RequestMessage.Body!)!)
            .Select(b =>
                Encoding.UTF8.GetString(
                    SealedPublicKeyBox.Open(
                        Convert.FromBase64String(b["encrypted_value"]!.GetValue<string>()),
                        _keys.PrivateKey,
                        _keys.PublicKey
                    )
                )
            )
            .ToList();

    private Dictionary<string, string> Variables() => new()
    {
        ["STAGING_DATABASE_URL"] = _oldUrl,
        ["GITHUB_TOKEN"] = "ghp_rotationTestToken000000000000000000",
        ["GITHUB_API_URL"] = _github.Urls[0],
    };

    [Test]
    public async Task The_new_password_works_the_old_one_does_not_and_GitHub_holds_the_new_url()
    {
        GitHubPutAnswers(201);
        // Unmasked: the output itself must hold no password, not only after the masker.
        var run = await SuiteRun.RunUnmaskedAsync(Variables(), "--target=RotateDbPassword", "--env=staging");

        run.ExitCode.Should().Be(0, run.All);
        var sealedUrls = SealedUrls();
        sealedUrls.Should().ContainSingle();
        var newUrl = sealedUrls[0];
        var newPassword = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(newUrl)).Password!;
        newPassword.Should().MatchRegex("^[A-Za-z0-9_-]{43}$", "32 random bytes, URL-safe");
        newUrl.Should().Be(_oldUrl.Replace(_oldPassword, newPassword), "only the password changes");
        (await LogsIn(newUrl)).Should().BeTrue();
        (await LogsIn(_oldUrl)).Should().BeFalse("the old password no longer logs in");
        run.All.Should().Contain($"Rotated the password of role {_role} for staging")
            .And.NotContain(newPassword).And.NotContain(_oldPassword);
    }

    [Test]
    public async Task GitHub_failing_puts_the_old_password_back()
    {
        GitHubPutAnswers(500);
        var run = await SuiteRun.RunUnmaskedAsync(Variables(), "--target=RotateDbPassword", "--env=staging");

        run.ExitCode.Should().NotBe(0, run.All);
        run.All.Should()
            .Contain("GitHub answered 500")
            .And.Contain("the old password was put back (a new connection with it works)")
            .And.NotContain("Rotated the password");
        var tried = SealedUrls().Should().ContainSingle().Subject;
        var triedPassword = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(tried)).Password!;
        (await LogsIn(_oldUrl)).Should().BeTrue("the old password works again");
        (await LogsIn(tried)).Should().BeFalse("the password tried is no longer valid");
        run.All.Should().NotContain(triedPassword).And.NotContain(_oldPassword);
    }

    [Test]
    public async Task The_dotenv_line_is_rewritten_alone_and_keeps_mode_0600()
    {
        using var repository = ScratchRepository.Create();
        var dotEnv = repository.Write(
            ".env.staging",
            $"# staging\nSTAGING_SUPABASE_URL=https://x.supabase.co\nSTAGING_DATABASE_URL='{_oldUrl}'\nOTHER=kept\n"
        );
        File.SetUnixFileMode(dotEnv, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var run = await SuiteRun.RunInAsync(
            repository.Root,
            new Dictionary<string, string> { ["STAGING_DATABASE_URL"] = _oldUrl },
            "--target=RotateDbPassword",
            "--env=staging"
        );

        run.ExitCode.Should().Be(0, run.All);
        var lines = await File.ReadAllLinesAsync(dotEnv);
        lines.Should().HaveCount(4);
        lines[0].Should().Be("# staging");
        lines[1].Should().Be("STAGING_SUPABASE_URL=https://x.supabase.co");
        lines[3].Should().Be("OTHER=kept");
        lines[2]
            .Should()
            .StartWith("STAGING_DATABASE_URL='postgresql://")
            .And.EndWith("'")
            .And.NotContain(_oldPassword);
        (await LogsIn(lines[2]["STAGING_DATABASE_URL='".Length..^1])).Should().BeTrue();
        (await LogsIn(_oldUrl)).Should().BeFalse();
        File.GetUnixFileMode(dotEnv).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        run.All.Should().Contain("GITHUB_TOKEN is not set").And.Contain(".env.staging (STAGING_DATABASE_URL)");
    }

    private static async Task<bool> LogsIn(string url)
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(url)) { Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == "28P01") { return false; }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
