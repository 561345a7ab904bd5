using Build.Backup;

namespace Build.Tests.Migrations.Backup;

/// <summary>Choosing pg_dump by version, with stand-in programs that print what the real ones print.</summary>
public class PostgresClientToolsTests
{
    private string _root = null!;

    [SetUp]
    public void Make() => _root = Directory.CreateTempSubdirectory("pg-clients-").FullName;

    [TearDown]
    public void Remove() => Directory.Delete(_root, recursive: true);

    private string Install(int major, bool withRestore = true)
    {
        var bin = Path.Combine(_root, major.ToString(), "bin");
        Directory.CreateDirectory(bin);
        foreach (var tool in withRestore ? new[] { "pg_dump", "pg_restore" } : ["pg_dump"])
        {
            var path = Path.Combine(bin, tool);
            File.WriteAllText(path, $"#!/bin/sh\necho '{tool} (PostgreSQL) {major}.4 (Debian {major}.4-1)'\n");
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
        return bin;
    }

    [Test]
    public void The_first_installation_at_least_as_new_as_the_server_is_chosen()
    {
        var old = Install(14);
        var fifteen = Install(15);
        var seventeen = Install(17);

        var chosen = PostgresClientTools.Find(15, _ => null, [old, fifteen, seventeen]);

        chosen.Major.Should().Be(15);
        chosen.PgDump.Should().Be(Path.Combine(fifteen, "pg_dump"));
        chosen.PgRestore.Should().Be(Path.Combine(fifteen, "pg_restore"));
        PostgresClientTools.Find(16, _ => null, [old, fifteen, seventeen]).Major.Should().Be(17);
    }

    [Test]
    public void Without_a_new_enough_client_the_error_lists_what_was_found_and_exactly_what_to_install()
    {
        var old = Install(15);
        var act = () => PostgresClientTools.Find(17, _ => null, [old]);
        act.Should().Throw<BackupException>().Which.Message.Should()
            .Contain($"{Path.Combine(old, "pg_dump")} (15)")
            .And.Contain("sudo apt-get install -y postgresql-client-17")
            .And.Contain("PG_DUMP");
    }

    [Test]
    public void PG_DUMP_wins_when_new_enough_and_a_pg_dump_without_pg_restore_beside_it_is_passed_over()
    {
        var lonely = Install(17, withRestore: false);
        var complete = Install(16);
        var chosen = PostgresClientTools.Find(
            16,
            name => name == "PG_DUMP" ? Path.Combine(complete, "pg_dump") : null,
            [lonely]
        );
        chosen.PgDump.Should().Be(Path.Combine(complete, "pg_dump"));

        PostgresClientTools
            .Find(16, _ => null, [lonely, complete])
            .PgDump.Should()
            .Be(Path.Combine(complete, "pg_dump"));
    }
}
