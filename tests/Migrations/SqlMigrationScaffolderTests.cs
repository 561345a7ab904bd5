using Build.Migrations;

namespace Build.Tests.Migrations;

public sealed class SqlMigrationScaffolderTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() =>
        _dir = Path.Combine(Path.GetTempPath(), "new-mig-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public void RemoveFolder()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static readonly DateTime Now = new(2025, 3, 1, 12, 30, 45, DateTimeKind.Utc);

    [Test]
    public void Creates_an_empty_file_named_with_the_utc_timestamp()
    {
        var path = MigrationScaffolder.Create(_dir, "add_feature_x", Now);
        Path.GetFileName(path).Should().Be("20250301123045_add_feature_x.sql");
        File.ReadAllText(path).Should().BeEmpty();
        MigrationDirectory.Load(_dir).Files.Single().Name.Should().Be("add_feature_x");
    }

    [Test]
    public void A_local_time_is_converted_to_utc()
    {
        var local = DateTime.SpecifyKind(new DateTime(2025, 3, 1, 12, 30, 45), DateTimeKind.Local);
        MigrationScaffolder.NextVersion(local, []).Should().Be(local.ToUniversalTime().ToString("yyyyMMddHHmmss"));
    }

    [Test]
    public void The_version_is_strictly_later_than_every_existing_one()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "20250301123045_same_second.sql"), "");
        Path.GetFileName(MigrationScaffolder.Create(_dir, "next", Now)).Should().Be("20250301123046_next.sql");

        // A clock behind the newest file (a merge from a colleague in another time zone setting) still moves forward.
        File.WriteAllText(Path.Combine(_dir, "20251231235959_future.sql"), "");
        Path.GetFileName(MigrationScaffolder.Create(_dir, "after_future", Now))
            .Should()
            .Be("20260101000000_after_future.sql");
    }

    [Test]
    public void Two_files_in_the_same_second_get_distinct_versions()
    {
        var first = MigrationScaffolder.Create(_dir, "one", Now);
        var second = MigrationScaffolder.Create(_dir, "two", Now);
        Path.GetFileName(first).Should().StartWith("20250301123045_");
        Path.GetFileName(second).Should().StartWith("20250301123046_");
    }

    [TestCase("AddFeatureX", "add_feature_x")]
    [TestCase("add-feature-x", "add_feature_x")]
    [TestCase("add feature", "add_feature")]
    [TestCase("add__feature", "add_feature")]
    [TestCase("_add_feature", "add_feature")]
    [TestCase("add_feature_", "add_feature")]
    [TestCase("1st_feature", null)]
    [TestCase("añadir", null)]
    public void Names_that_are_not_snake_case_are_refused_with_a_suggestion(string name, string? suggestion)
    {
        var act = () => MigrationScaffolder.Create(_dir, name, Now);
        var message = act.Should().Throw<InvalidMigrationNameException>().Which.Message;
        message.Should().Contain($"'{name}' is not snake_case");
        if (suggestion is not null) message.Should().Contain($"--name={suggestion}");
        Directory.Exists(_dir).Should().BeFalse("nothing is created for a refused name");
    }

    [TestCase(null)]
    [TestCase("")]
    public void A_missing_name_says_how_to_give_one(string? name)
    {
        var act = () => MigrationScaffolder.Create(_dir, name, Now);
        act.Should().Throw<InvalidMigrationNameException>().WithMessage("*--name=add_feature_x*");
    }

    [TestCase("add_feature_x")]
    [TestCase("v2_backfill")]
    [TestCase("a")]
    public void Snake_case_names_are_accepted(string name) => MigrationScaffolder.NameProblem(name).Should().BeNull();
}
