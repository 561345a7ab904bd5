using Build.Host;

namespace Build.Tests.Gates;

/// <summary>Which targets change an environment is declared once, on the task ([ChangesEnvironment]); the gates
/// follow.</summary>
public class PolicyCatalogTests
{
    private static readonly TaskCatalog Catalog = TaskCatalog.FromAssembly(typeof(Build.Program).Assembly);

    [Test]
    public void The_approval_gate_runs_before_every_task_that_declares_it_and_the_backup_before_every_writer()
    {
        var approval = Catalog
            .Tasks.Where(t => t is { HasWork: true, Changes.Approval: true })
            .Select(t => t.Name)
            .ToList();
        approval
            .Should()
            .BeEquivalentTo([
                "ApplyMigrations",
                "RollbackMigrations",
                "DeployVps",
                "Rollback",
                "RestoreDb",
                "RotateDbPassword",
            ]);
        Catalog.Find("ConfirmEnvironment")!.Dependees.Should().BeEquivalentTo(approval);
        Catalog.Find("BackupDb")!.Dependees.Should().BeEquivalentTo(["ApplyMigrations", "RollbackMigrations"]);
    }

    [Test]
    public void Umbrellas_are_the_targets_with_no_work_of_their_own()
    {
        Catalog
            .Tasks.Where(t => t.IsUmbrella)
            .Select(t => t.Name)
            .Should()
            .BeEquivalentTo(["Validate", "Deploy", "DeployStaging", "DeployProduction"]);
        Catalog
            .Tasks.Where(t => t.Changes is { Announce: true })
            .Select(t => t.Name)
            .Should()
            .BeEquivalentTo(
                [
                    "Deploy",
                    "DeployStaging",
                    "DeployProduction",
                    "Rollback",
                    "ApplyMigrations",
                    "RollbackMigrations",
                    "DeployVps",
                    "RestoreDb",
                ],
                "every target that changes an environment announces its own outcome, not only the umbrellas"
            );
    }

    [Test]
    public void A_notice_names_the_reviewer_who_approved()
    {
        var notice = new Build.Notifications.Notice
        {
            Environment = "production", Target = "DeployProduction", Succeeded = true, Commit = "abcdef1234",
            Duration = TimeSpan.FromSeconds(42), Approver = "lead-reviewer", AppUrl = "https://muva.chat",
        };
        notice
            .Text()
            .Should()
            .Be(
                "✅ DeployProduction on production succeeded at abcdef1 in 42 s\nApproved by: lead-reviewer\nCommit: " +
                "abcdef1234\nApp: https://muva.chat"
            );
    }
}
