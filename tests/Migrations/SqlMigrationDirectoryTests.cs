using Build.Migrations;

namespace Build.Tests.Migrations;

public sealed class SqlMigrationDirectoryTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() =>
        Directory.CreateDirectory(
            _dir = Path.Combine(Path.GetTempPath(), "mig-dir-" + Guid.NewGuid().ToString("N")[..8])
        );

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private void Write(string name, string content = "select 1;") =>
        File.WriteAllText(Path.Combine(_dir, name), content);

    [Test]
    public void Files_come_back_in_version_order_with_version_name_and_exact_content()
    {
        Write("20240102000000_second.sql", "select 2;\r\n");
        Write("20240101000000_first_one.sql", "select 1;");
        Write(".gitkeep", "");
        Directory.CreateDirectory(Path.Combine(_dir, "archive"));

        var contents = MigrationDirectory.Load(_dir);

        contents.Problems.Should().BeEmpty();
        contents.Files.Select(f => (f.Version, f.Name, f.Content)).Should().Equal(
            ("20240101000000", "first_one", "select 1;"), ("20240102000000", "second", "select 2;\r\n"));
        contents.Files[0].Path.Should().Be(Path.Combine(_dir, "20240101000000_first_one.sql"));
    }

    [TestCase("add_users.sql")]
    [TestCase("20240101000000-add_users.sql")]
    [TestCase("20240101000000_add_users.SQL")]
    [TestCase("20240101000000_add_users.sql.bak")]
    [TestCase("v20240101000000_add_users.sql")]
    public void A_name_the_cli_would_skip_is_an_error_naming_the_file(string name)
    {
        Write(name);
        var problem = MigrationDirectory.Load(_dir).Problems.Single();
        problem.IsError.Should().BeTrue();
        problem.File.Should().Be(name);
        problem.ToString().Should().StartWith(name + ": error:").And.Contain("skips");
    }

    [Test]
    public void The_cli_s_pattern_takes_the_leading_digits_as_version()
    {
        MigrationDirectory.ParseFileName("20240101000000_add_users.sql").Should().Be(("20240101000000", "add_users"));
        MigrationDirectory.ParseFileName("2024_01_01_add.sql").Should().Be(("2024", "01_01_add"));
        MigrationDirectory.ParseFileName("20240101000000_.sql").Should().Be(("20240101000000", ""));
        MigrationDirectory.ParseFileName("20240101000000_x.sql.txt").Should().BeNull();
    }

    [Test]
    public void Duplicate_versions_are_errors_on_each_file()
    {
        Write("20240101000000_a.sql");
        Write("20240101000000_b.sql");
        Write("20240101000001_c.sql");
        var problems = MigrationDirectory.Load(_dir).Problems;
        problems.Select(p => p.File).Should().BeEquivalentTo("20240101000000_a.sql", "20240101000000_b.sql");
        problems.Should().OnlyContain(p => p.IsError && p.Message.Contains("duplicate version 20240101000000")
                                           && p.Message.Contains("20240101000000_a.sql, 20240101000000_b.sql"));
    }

    [Test]
    public void A_version_that_is_not_a_timestamp_is_a_warning()
    {
        Write("42_answer.sql");
        var problem = MigrationDirectory.Load(_dir).Problems.Single();
        (problem.File, problem.IsError).Should().Be(("42_answer.sql", false));
        problem.Message.Should().Contain("14-digit");
    }

    [Test]
    public void A_legacy_init_file_that_the_cli_skips_is_an_error()
    {
        Write("20201201000000_init.sql");
        Write("20240101000000_next.sql");
        var contents = MigrationDirectory.Load(_dir);
        contents.Problems.Single().File.Should().Be("20201201000000_init.sql");
        contents.Files.Select(f => f.Version).Should().Equal("20240101000000");
    }

    [Test]
    public void A_legacy_init_file_behind_another_entry_is_applied_by_the_cli_and_loaded_by_us()
    {
        Write(".gitkeep", "");
        Write("20201201000000_init.sql");
        var contents = MigrationDirectory.Load(_dir);
        contents.Problems.Should().BeEmpty();
        contents.Files.Select(f => f.Name).Should().Equal("init");
    }

    [Test]
    public void A_missing_folder_is_an_empty_set()
    {
        var contents = MigrationDirectory.Load(Path.Combine(_dir, "nope"));
        (contents.Files.Count, contents.Problems.Count).Should().Be((0, 0));
    }
}
