using Build.Host;

namespace Build.Tests.Gates;

/// <summary>Which targets change an environment is declared once, on the task ([ChangesEnvironment]); the gates follow.</summary>
public class PolicyCatalogTests
{
    private static readonly TaskCatalog Catalog = TaskCatalog.FromAssembly(typeof(Build.Program).Assembly);

    [Test]
    public void The_approval_gate_runs_before_every_task_that_declares_it_and_the_backup_before_every_writer()
    {
        var approval = Catalog.Tasks.Where(t => t is { HasWork: true, Changes.Approval: true }).Select(t => t.Name).ToList();
        approval.Should().BeEquivalentTo(["ApplyMigrations", "RollbackMigrations", "DeployVps", "Rollback", "RestoreDb"]);
        Catalog.Find("ConfirmEnvironment")!.Dependees.Should().BeEquivalentTo(approval);
        Catalog.Find("BackupDb")!.Dependees.Should().BeEquivalentTo(["ApplyMigrations", "RollbackMigrations"]);
    }

    [Test]
    public void Umbrellas_are_the_targets_with_no_work_of_their_own()
    {
        Catalog.Tasks.Where(t => t.IsUmbrella).Select(t => t.Name).Should().BeEquivalentTo(["Validate", "Deploy", "DeployStaging", "DeployProduction"]);
        Catalog.Tasks.Where(t => t.Changes is { Announce: true }).Select(t => t.Name).Should().BeEquivalentTo(["Deploy", "DeployStaging", "DeployProduction", "Rollback"]);
    }

    [Test]
    public void A_notice_names_the_reviewer_who_approved()
    {
        var notice = new Build.Notifications.Notice("production", "DeployProduction", true, "abcdef1234", TimeSpan.FromSeconds(42), null, "https://muva.chat")
            { ApprovedBy = "lead-reviewer" };
        notice.Text().Should().Be("✅ DeployProduction on production succeeded (commit abcdef1) in 42 s, approved by lead-reviewer — https://muva.chat");
    }
}
