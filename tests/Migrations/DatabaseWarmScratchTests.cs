using System.Diagnostics;
using Build.Migrations;
using Build.Migrations.Database;
using Build.Migrations.Scratch;
using Npgsql;

// [Order]: these tests walk one warm server through its life in sequence (NUnit 5 marks Order obsolete in favour of
// DependsOn, which this fixture does not need yet).
#pragma warning disable CS0618

namespace Build.Tests.Migrations;

/// <summary>
/// The warm scratch server (SCRATCH_WARM=1) and its replay template, on a real PostgreSQL this class starts in a
/// folder of its own and stops by PID at the end: reuse, stale records rebuilt, the template keyed by the files' hashes.
/// </summary>
[NonParallelizable]
public sealed class DatabaseWarmScratchTests
{
    private string _cache = null!;
    private readonly List<string> _messages = [];

    [OneTimeSetUp]
    public void Folder()
    {
        Infrastructure.Require.Service(PostgresBinaries.Find(Infrastructure.Require.RepositoryRoot) is not null, "initdb/pg_ctl");
        _cache = Directory.CreateTempSubdirectory("warm-scratch-").FullName;
        if (Environment.UserName == "root") File.SetUnixFileMode(_cache, (UnixFileMode)0b111_101_101);
    }

    [OneTimeTearDown]
    public async Task StopByPid()
    {
        var state = WarmScratchServer.Read(_cache);
        await WarmScratchServer.StopAsync(_cache, _ => { });
        // Whatever stopping said: the PID this class's server had must be gone.
        if (state is not null && IsRunning(state.Pid))
        {
            Process.GetProcessById(state.Pid).Kill();
            Assert.Fail($"the warm scratch server (PID {state.Pid}) was still running after StopAsync");
        }
        Directory.Delete(_cache, recursive: true);
    }

    // Alive and not a zombie awaiting its reaper (an orphaned postmaster is reaped by init, not by us), given up to
    // 60 s to exit: it returns as soon as the process is gone (5 s was short for a loaded machine).
    private static bool IsRunning(int pid)
    {
        for (var i = 0; i < 600; i++)
        {
            string stat;
            try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
            catch (IOException) { return false; }
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z')) return false;
            Thread.Sleep(100);
        }
        return true;
    }

    private async Task<ScratchPostgres> AcquireAsync(string? target = null) =>
        await WarmScratchServer.AcquireAsync(_cache, Infrastructure.Require.RepositoryRoot, target, _messages.Add)
        ?? throw new AssertionException("the warm server was busy");

    [Test, Order(1)]
    public async Task It_stays_running_after_a_run_and_the_next_run_reuses_it_while_one_run_at_a_time_holds_it()
    {
        int pid;
        await using (var first = await AcquireAsync())
        {
            first.KeepsTemplates.Should().BeTrue();
            pid = WarmScratchServer.Read(_cache)!.Pid;
            (await WarmScratchServer.AcquireAsync(_cache, null, null, _messages.Add)).Should().BeNull("another run holds it");
        }
        File.Exists($"/proc/{pid}/cmdline").Should().BeTrue("it stays warm after the run");

        _messages.Clear();
        await using (var second = await AcquireAsync())
            await Scalar(second.AdminConnectionString, "select 1");
        WarmScratchServer.Read(_cache)!.Pid.Should().Be(pid);
        _messages.Should().NotContain(m => m.Contains("(re)building"));
    }

    [Test, Order(2)]
    public async Task A_stale_record_is_detected_and_the_server_rebuilt_never_one_on_the_targets_port()
    {
        await using (await AcquireAsync()) { }
        var state = WarmScratchServer.Read(_cache)!;

        // The target database's port recorded as if it were the scratch server's: never used, rebuilt instead.
        var target = $"Host=127.0.0.1;Port={state.Port};Username=postgres;Database=production";
        (await WarmScratchServer.ProblemAsync(state, Path.Combine(_cache, "data"), target, CancellationToken.None))
            .Should().Contain("the target database's");

        // A record whose settings hash does not match (an older suite, other binaries).
        File.WriteAllText(Path.Combine(_cache, "server.json"), System.Text.Json.JsonSerializer.Serialize(state with { Settings = "0000" }));
        _messages.Clear();
        await using (await AcquireAsync()) { }
        _messages.Should().Contain(m => m.Contains("settings changed") && m.Contains("(re)building"));
        IsRunning(state.Pid).Should().BeFalse("the stale server was stopped");
        var rebuilt = WarmScratchServer.Read(_cache)!;
        rebuilt.Pid.Should().NotBe(state.Pid);

        // A server that died (killed): its record no longer matches a live postmaster.
        Process.GetProcessById(rebuilt.Pid).Kill();
        await Process.GetProcessById(rebuilt.Pid).WaitForExitAsync();
        _messages.Clear();
        await using (await AcquireAsync()) { }
        _messages.Should().Contain(m => m.Contains("(re)building"));
        File.ReadAllText($"/proc/{WarmScratchServer.Read(_cache)!.Pid}/cmdline").Should().Contain("postgres");
    }

    [Test, Order(3)]
    public async Task The_template_replays_only_added_files_and_an_edited_earlier_file_replays_everything()
    {
        using var folder = new MigrationFolder();
        folder.Add("20250101000000", "one", "create table one (id int primary key); insert into one values (1);");
        folder.Add("20250101000100", "two", "create table two (id int primary key, one_id int references one);");
        folder.Add("20250101000200", "three", "create function three() returns int language sql as 'select 3';");

        (await ReplayAsync(folder)).Should().Contain("3 migration(s) from scratch");
        (await TemplateHistoryAsync()).Should().HaveCount(3);

        folder.Add("20250101000300", "four", "alter table two add column note text;");
        var added = await ReplayAsync(folder);
        added.Should().Contain("the 1 migration(s) after the template of 3");
        (await TemplateHistoryAsync()).Should().HaveCount(4, "the template now holds the new file too");

        // Every file is in the template and there is no seed: nothing would run on a clone, so none is made.
        var complete = await ReplayAsync(folder);
        complete.Should().Contain("the template on").And.Contain("already holds all 4 migration(s)")
            .And.NotContain("after the template");
        (await Scalar(AdminOf(), "select count(*) from pg_database where datname like 'replay%' and datname <> 'replay_template'"))
            .Should().Be(0L);
        // With a seed there is something to run: a clone of the template, and the seed on it.
        var seed = new SeedFile(folder.WriteSeed("insert into one values (2);"), "supabase/seed.sql");
        _messages.Clear();
        await using (var server = await AcquireAsync())
            (await new MigrationChecker(_messages.Add).ReplayAsync(server, MigrationDirectory.Load(folder.Migrations), seed))
                .Should().BeEmpty();
        string.Join("\n", _messages).Should().Contain("the 0 migration(s) after the template of 4 and the seed");
        File.Delete(seed.FullPath);

        folder.Add("20250101000100", "two", "create table two (id int primary key, one_id int references one, extra text);");
        var edited = await ReplayAsync(folder);
        edited.Should().Contain("20250101000100_two.sql changed since the template was made").And.Contain("4 migration(s) from scratch");
        (await Scalar(OnTemplate(), "select count(*) from information_schema.columns where table_name = 'two' and column_name = 'extra'")).Should().Be(1L);

        folder.Add("20250101000050", "inserted", "create table inserted (id int);");
        (await ReplayAsync(folder)).Should().Contain("a file was added before others").And.Contain("5 migration(s) from scratch");
    }

    [Test, Order(4)]
    public async Task A_template_changed_by_hand_is_not_trusted_and_a_failing_new_file_keeps_the_old_template()
    {
        using var folder = new MigrationFolder();
        folder.Add("20250201000000", "a", "create table a (id int primary key); insert into a values (1), (2);");
        await ReplayAsync(folder);

        await Scalar(OnTemplate(), "update a set id = 3 where id = 2");
        (await ReplayAsync(folder)).Should().Contain("fingerprint").And.Contain("1 migration(s) from scratch");

        folder.Add("20250201000100", "broken", "alter table missing add column x int;");
        await using (var server = await AcquireAsync())
        {
            var problems = await new MigrationChecker(_messages.Add).ReplayAsync(server, MigrationDirectory.Load(folder.Migrations), null);
            problems.Should().ContainSingle(p => p.Code == "replay-failed" && p.File!.EndsWith("_broken.sql"));
        }
        (await TemplateHistoryAsync()).Should().Equal(["20250201000000"], "a failed replay never becomes the template");
    }

    private async Task<string> ReplayAsync(MigrationFolder folder)
    {
        _messages.Clear();
        await using var server = await AcquireAsync();
        var problems = await new MigrationChecker(_messages.Add).ReplayAsync(server, MigrationDirectory.Load(folder.Migrations), null);
        problems.Should().BeEmpty();
        return string.Join("\n", _messages);
    }

    private string AdminOf() =>
        new NpgsqlConnectionStringBuilder(WarmScratchServer.AdminConnectionString(WarmScratchServer.Read(_cache)!.Port))
            { Pooling = false }.ConnectionString;

    private string OnTemplate() =>
        new NpgsqlConnectionStringBuilder(WarmScratchServer.AdminConnectionString(WarmScratchServer.Read(_cache)!.Port)) { Database = ReplayTemplate.Name, Pooling = false }.ConnectionString;

    private async Task<List<string>> TemplateHistoryAsync()
    {
        await using var connection = new NpgsqlConnection(OnTemplate());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select version from supabase_migrations.schema_migrations order by version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<string>();
        while (await reader.ReadAsync()) versions.Add(reader.GetString(0));
        return versions;
    }

    private static async Task<object?> Scalar(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
