using System.Diagnostics;
using Build.Migrations;
using Build.Migrations.Platform;
using Build.Migrations.Sql;
using Build.Tests.Infrastructure;
using Npgsql;

namespace Build.Tests.Migrations;

/// <summary>
/// Runs the real Supabase CLI (`supabase db push`, 2.117.0 from npm) once on a throwaway database, then compares
/// what it stored in supabase_migrations.schema_migrations with our loader and splitter: byte-identical statements,
/// the same version/name parsing, and the same files skipped.
/// </summary>
[NonParallelizable]
public sealed class SqlCliEquivalenceTests
{
    private string _workdir = "";
    private Dictionary<string, (string Name, string[] Statements)> _stored = new();
    private MigrationDirectoryContents _local = null!;

    private static readonly string[] Fixtures = ["tricky.sql", "unicode_and_tags.sql"];

    [OneTimeSetUp]
    public async Task PushWithTheCli()
    {
        var cli = Path.Combine(Require.RepositoryRoot, "node_modules", ".bin", "supabase");
        Require.Service(File.Exists(cli), "The Supabase CLI (npm ci)");
        var connectionString = await PostgresServerFixture.CreateDatabaseAsync("cli_split");
        await SupabasePlatform.InstallAsync(connectionString);

        _workdir = Path.Combine(Path.GetTempPath(), "cli-split-" + Guid.NewGuid().ToString("N")[..8]);
        var migrations = Path.Combine(_workdir, "supabase", "migrations");
        Directory.CreateDirectory(migrations);
        for (var i = 0; i < Fixtures.Length; i++)
            File.Copy(
                Path.Combine(Require.RepositoryRoot, "tests", "Migrations", "Fixtures", Fixtures[i]),
                Path.Combine(migrations, $"2024010100000{i}_{Path.GetFileNameWithoutExtension(Fixtures[i])}.sql")
            );
        await File.WriteAllTextAsync(
            Path.Combine(migrations, "20240101000009_crlf and spaces.sql"),
            "select 1;\r\n-- crlf comment\r\nselect 2\r\n;\r\n"
        );
        // The shipped sample set too: realistic RLS policies, triggers, $BODY$ functions and storage policies.
        foreach (
            var sample in Directory.GetFiles(Path.Combine(Require.RepositoryRoot, "supabase", "migrations"), "*.sql")
        )
            File.Copy(sample, Path.Combine(migrations, Path.GetFileName(sample)));
        // Names the CLI skips (and we report): no version, wrong extension.
        await File.WriteAllTextAsync(
            Path.Combine(migrations, "create_should_not_exist.sql"),
            "create table should_not_exist (id int);"
        );
        await File.WriteAllTextAsync(
            Path.Combine(migrations, "20240101000010_notes.txt"),
            "create table should_not_exist_either (id int);"
        );

        var (exitCode, output) = await RunCliAsync(cli, connectionString);
        Assert.That(exitCode, Is.EqualTo(0), "supabase db push failed:\n" + output);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (
            var command = new NpgsqlCommand(
                "select version, name, statements from supabase_migrations.schema_migrations",
                connection
            )
        )
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                _stored[reader.GetString(0)] = (reader.GetString(1), reader.GetFieldValue<string[]>(2));
        _local = MigrationDirectory.Load(migrations);
        await using var skipped = new NpgsqlCommand(
            "select to_regclass('public.should_not_exist') is null and to_regclass('public.should_not_exist_either') " +
            "is null",
            connection
        );
        _skippedFilesDidNotRun = (bool)(await skipped.ExecuteScalarAsync())!;
    }

    private bool _skippedFilesDidNotRun;

    [OneTimeTearDown]
    public void RemoveWorkdir()
    {
        if (Directory.Exists(_workdir)) Directory.Delete(_workdir, recursive: true);
    }

    private async Task<(int ExitCode, string Output)> RunCliAsync(string cli, string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var url =
            $"postgresql://{Uri.EscapeDataString(builder.Username!)}@{builder.Host}:{builder.Port}/" +
            $"{Uri.EscapeDataString(builder.Database!)}?sslmode=disable";
        var start = new ProcessStartInfo(cli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _workdir,
        };
        foreach (var arg in new[] { "db", "push", "--db-url", url, "--yes", "--workdir", _workdir })
            start.ArgumentList.Add(arg);
        // A password (SCRATCH_DATABASE_URL) goes through the environment, never the argument list.
        if (!string.IsNullOrEmpty(builder.Password)) start.Environment["PGPASSWORD"] = builder.Password;
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DO_NOT_TRACK"] = "1";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("supabase db push did not finish within 2 minutes");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    [Test]
    public void Every_file_s_statements_are_byte_identical_to_the_splitter()
    {
        _local.Files.Should().HaveCount(_stored.Count);
        foreach (var file in _local.Files)
        {
            _stored.Should().ContainKey(file.Version, $"the CLI applied {file.FileName}");
            SqlStatementSplitter
                .Split(file.Content)
                .Should()
                .Equal(_stored[file.Version].Statements, $"statements of {file.FileName}");
        }
    }

    [Test]
    public void Version_and_name_are_parsed_from_the_file_name_like_the_cli()
    {
        foreach (var file in _local.Files)
            _stored[file.Version].Name.Should().Be(file.Name);
        _stored.Should().ContainKey("20240101000009").WhoseValue.Name.Should().Be("crlf and spaces");
    }

    [Test]
    public void Files_the_cli_skips_silently_are_errors_for_us()
    {
        _skippedFilesDidNotRun.Should().BeTrue("the CLI does not run files whose names do not match");
        _local.Problems.Where(p => p.IsError).Select(p => p.File)
            .Should().BeEquivalentTo("create_should_not_exist.sql", "20240101000010_notes.txt");
    }
}
