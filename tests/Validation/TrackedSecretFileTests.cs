using Build.Tests.Infrastructure;

namespace Build.Tests.Validation;

/// <summary>A .env.&lt;env&gt; that git tracks is an incident: the run stops before reading it.</summary>
public class TrackedSecretFileTests
{
    [Test]
    public async Task A_tracked_dotenv_file_is_refused_naming_it_and_how_to_untrack_and_rotate()
    {
        using var repository = ScratchRepository.Create(git: true);
        repository.Write(
            ".env.staging",
            "STAGING_DATABASE_URL=postgresql://postgres:Tr4cked-Secret@db.example.com:5432/postgres\n"
        );
        repository.Git("add", "-f", ".env.staging");

        var run = await SuiteRun.RunInAsync(repository.Root, null, "--target=ValidateEnvironment", "--env=staging");
        run.ExitCode.Should().NotBe(0);
        run.All.Should().Contain(".env.staging is tracked by git")
            .And.Contain("git rm --cached .env.staging")
            .And.Contain("rotate every secret");
        run.All.Should().NotContain("Tr4cked-Secret");
        run.All.Should().NotContain("Secrets for 'staging'", "nothing runs once the file is found tracked");
    }

    [Test]
    public async Task An_ignored_dotenv_file_is_read_as_usual()
    {
        using var repository = ScratchRepository.Create(git: true);
        repository.Write(".gitignore", ".env.*\n");
        repository.Write(".env.staging", "STAGING_VPS_HOST=bad_host!\n");
        repository.Git("add", ".gitignore");

        var run = await SuiteRun.RunInAsync(repository.Root, null, "--target=ValidateEnvironment", "--env=staging");
        run.All.Should().NotContain("tracked by git");
        run.All.Should().Contain("STAGING_VPS_HOST: is not a host name", "the file was read");
    }

    [Test]
    public async Task Validate_for_one_environment_reports_another_environments_tracked_file_too()
    {
        using var repository = ScratchRepository.Create(git: true);
        repository.Write(
            ".env.production",
            "PROD_DATABASE_URL=postgresql://postgres:Pr0d-Tracked@db.example.com:5432/postgres\n"
        );
        repository.Write(".env.local.template", "LOCAL_DATABASE_URL=\n");
        repository.Git("add", "-f", ".env.production", ".env.local.template");

        var run = await SuiteRun.RunInAsync(repository.Root, null, "--target=ValidateEnvironment", "--env=local");
        run.ExitCode.Should().Be(1);
        run.All.Should()
            .Contain("error   .env.production: is tracked by git")
            .And.Contain("git rm --cached .env.production");
        run.All.Should().NotContain(".env.local.template is tracked", "templates are meant to be tracked");
        run.All.Should().NotContain("Pr0d-Tracked");
    }

    [Test]
    public async Task A_dotenv_file_others_can_read_is_a_warning_with_the_chmod()
    {
        using var repository = ScratchRepository.Create();
        var path = repository.Write(".env.local", "LOCAL_DATABASE_URL=\n");
        File.SetUnixFileMode(
            path,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
        );
        var loose = await SuiteRun.RunInAsync(repository.Root, null, "--target=ValidateEnvironment", "--env=local");
        loose.All.Should().Contain("warning .env.local: other users of this machine can read it: chmod 600 .env.local");

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var tight = await SuiteRun.RunInAsync(repository.Root, null, "--target=ValidateEnvironment", "--env=local");
        tight.All.Should().NotContain("chmod 600");
    }
}
