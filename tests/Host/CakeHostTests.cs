using Build.Host;
using Build.Tests.Infrastructure;
using Cake.Core;

namespace Build.Tests.Host;

/// <summary>The host on a small graph of its own: order, skipping, errors, lifetimes, and the views.</summary>
public class CakeHostTests
{
    public sealed class TestContext(ICakeContext context) : FrostingContext(context)
    {
        public List<string> Journal { get; } = [];
    }

    [TaskName("Compile"), TaskDescription("compiles")]
    public sealed class Compile : FrostingTask<TestContext>
    {
        public override void Run(TestContext c) => c.Journal.Add("Compile");
    }

    [TaskName("Lint"), TaskDescription("lints"), IsDependeeOf(typeof(Package))]
    public sealed class Lint : FrostingTask<TestContext>
    {
        public override void Run(TestContext c) => c.Journal.Add("Lint");
    }

    [TaskName("Package"), TaskDescription("packages"), IsDependentOn(typeof(Compile))]
    public sealed class Package : AsyncFrostingTask<TestContext>
    {
        public override async Task RunAsync(TestContext c) { await Task.Yield(); c.Journal.Add("Package"); }
    }

    [TaskName("Skipped"), TaskDescription("never runs"), IsDependentOn(typeof(Package))]
    public sealed class Skipped : FrostingTask<TestContext>
    {
        public override bool ShouldRun(TestContext c) => false;
        public override void Run(TestContext c) => c.Journal.Add("Skipped");
    }

    [TaskName("Broken"), TaskDescription("fails with a handler")]
    public sealed class Broken : FrostingTask<TestContext>
    {
        public override void Run(TestContext c) => throw new InvalidOperationException("the database said no");
        public override void OnError(Exception exception, TestContext c) =>
            c.Journal.Add("OnError:" + exception.Message);
        public override void Finally(TestContext c) => c.Journal.Add("Finally");
    }

    [TaskName("AfterBroken"), TaskDescription("depends on a failing task"), IsDependentOn(typeof(Broken))]
    public sealed class AfterBroken : FrostingTask<TestContext>
    {
        public override void Run(TestContext c) => c.Journal.Add("AfterBroken");
    }

    [TaskName("Flaky"), TaskDescription("fails but may"), ContinueOnError]
    public sealed class Flaky : FrostingTask<TestContext>
    {
        public override void Run(TestContext c) => throw new InvalidOperationException("flaked");
    }

    [TaskName("AfterFlaky"), TaskDescription("goes on after a tolerated failure"), IsDependentOn(typeof(Flaky))]
    public sealed class AfterFlaky : FrostingTask<TestContext>
    {
        public override void Run(TestContext c) => c.Journal.Add("AfterFlaky");
    }

    [TaskName("Ship"), TaskDescription("after a skipped task"), IsDependentOn(typeof(Skipped))]
    public sealed class Ship : FrostingTask<TestContext>
    {
        public override void Run(TestContext c) => c.Journal.Add("Ship");
    }

    private static readonly Type[] Graph =
    [
        typeof(Ship),
        typeof(Compile),
        typeof(Lint),
        typeof(Package),
        typeof(Skipped),
        typeof(Broken),
        typeof(AfterBroken),
        typeof(Flaky),
        typeof(AfterFlaky),
    ];

    private sealed class Lifetime : FrostingLifetime<TestContext>
    {
        public override void Setup(TestContext c, ISetupContext info) => c.Journal.Add("Setup");
        public override void Teardown(TestContext c, ITeardownContext info) => c.Journal.Add("Teardown");
    }

    private static Task<(int Code, string Output, List<string> Journal)> Run(params string[] args) => Run(false, args);

    private static async Task<(int Code, string Output, List<string> Journal)> Run(
        bool onErrorHandlesTheError,
        params string[] args
    )
    {
        TestContext? context = null;
        var host = new CakeHost<TestContext>(typeof(CakeHostTests).Assembly, Graph)
        {
            OnErrorHandlesTheError = onErrorHandlesTheError,
            ContextFactory = (cake, _) => context = new TestContext(cake),
            Lifetime = new Lifetime(),
            Environment = new HostEnvironment { WorkingDirectory = Path.GetTempPath(), GetVariable = _ => null },
        };
        using var capture = new ConsoleCapture();
        var code = await host.RunAsync(args);
        return (code, capture.All, context?.Journal ?? []);
    }

    [Test]
    public async Task Runs_dependencies_first_and_dependees_before_their_target()
    {
        var (code, output, journal) = await Run("--target=Package");
        code.Should().Be(0, output);
        journal.Should().HaveCount(5).And.StartWith("Setup").And.EndWith(["Package", "Teardown"]);
        journal.Should().Contain(["Compile", "Lint"]);
    }

    [Test]
    public async Task Exclusive_runs_only_the_target()
    {
        var (code, _, journal) = await Run("--target=Package", "--exclusive");
        code.Should().Be(0);
        journal.Should().Equal("Setup", "Package", "Teardown");
    }

    [Test]
    public async Task A_task_whose_ShouldRun_is_false_is_skipped_and_shown_as_skipped_in_the_report()
    {
        var (code, output, journal) = await Run("--target=Ship");
        code.Should().Be(0, output);
        journal.Should().Contain("Ship").And.NotContain("Skipped");
        output.Should().MatchRegex(@"\n\s*Skipped\s+.*Skipped", "the report lists the skipped task as skipped");
    }

    [Test]
    public async Task A_failing_task_with_an_error_handler_still_fails_the_run_and_stops_what_depends_on_it()
    {
        var (code, output, journal) = await Run("--target=AfterBroken");
        code.Should().Be(1);
        journal.Should().ContainInOrder("OnError:the database said no", "Finally");
        journal.Should().NotContain("AfterBroken");
        output.Should().Contain("Error: the database said no");
        output.Should().MatchRegex(@"Broken\s+\S+\s+Failed", "the task report prints on failure too");
    }

    [Test]
    public async Task Under_Cake_Frostings_rule_an_OnError_handles_the_failure_and_the_run_exits_0()
    {
        // What the suite's tests switch on to prove that no failure depends on our rethrow: it must really be
        // Frosting's rule, or those tests could not fail.
        var (code, _, journal) = await Run(onErrorHandlesTheError: true, "--target=AfterBroken");
        code.Should().Be(0);
        journal.Should().ContainInOrder("OnError:the database said no", "AfterBroken");
    }

    [Test]
    public async Task The_hosts_help_carries_no_text_of_the_suite()
    {
        var (code, output, _) = await Run("--help");
        code.Should().Be(0, output);
        output.Should().Contain("--target=NAME").And.Contain("Target to run (default: Default)").And.Contain("Compile");
        output.Should().NotContain("muva").And.NotContain("--env").And.NotContain("Validate").And.NotContain(".env");
    }

    [Test]
    public void No_task_of_the_suite_overrides_OnError()
    {
        // Under Cake.Frosting an OnError handles the failure: a task that failed would let the run go on and exit 0.
        // The suite's tasks catch what they must undo inside their own run (VerifyDeploy's rollback) and rethrow.
        var overriding = TaskCatalog.FromAssembly(typeof(Build.Program).Assembly).Tasks
            .Where(t => CakeHost<TestContext>.OverridesOnError(t.Type)).Select(t => t.Name);
        overriding.Should().BeEmpty();
        CakeHost<TestContext>.OverridesOnError(typeof(Broken)).Should().BeTrue("the check must see an override");
    }

    [Test]
    public async Task Only_a_task_marked_ContinueOnError_lets_the_run_go_on()
    {
        var (code, output, journal) = await Run("--target=AfterFlaky");
        code.Should().Be(0, output);
        journal.Should().Contain("AfterFlaky");
        output.Should().Contain("flaked");
    }

    [Test]
    public async Task Dry_run_lists_the_tasks_in_order_and_runs_none()
    {
        var (code, output, journal) = await Run("--target=Package", "--dryrun");
        code.Should().Be(0);
        journal.Should().NotContain(["Compile", "Lint", "Package"]);
        output.Should().MatchRegex(@"1\. (Compile|Lint)\s+2\. (Compile|Lint)\s+3\. Package");
    }

    [Test]
    public async Task Tree_shows_the_dependency_graph_without_building_a_context()
    {
        var (code, output, journal) = await Run("--target=Package", "--tree");
        code.Should().Be(0);
        output.Should().Contain("Package").And.Contain("Compile").And.Contain("Lint");
        journal.Should().BeEmpty();
    }

    [Test]
    public async Task Description_lists_every_target_with_its_description()
    {
        var (code, output, _) = await Run("--description");
        code.Should().Be(0, output);
        output.Should().Contain("AfterFlaky").And.Contain("goes on after a tolerated failure").And.Contain("compiles");
    }

    [Test]
    public async Task An_unknown_target_fails_listing_the_valid_ones()
    {
        var (code, output, _) = await Run("--target=Deploy");
        code.Should().Be(1);
        output.Should().Contain("Unknown target 'Deploy'").And.Contain("AfterBroken, AfterFlaky, Broken, Compile");
    }

    [Test]
    public async Task Target_names_are_case_insensitive()
    {
        var (code, _, journal) = await Run("--target=compile");
        code.Should().Be(0);
        journal.Should().Contain("Compile");
    }

    [Test]
    public void A_task_without_a_description_is_refused()
    {
        var act = () => TaskCatalog.FromTypes([typeof(Undescribed)]);
        act.Should().Throw<InvalidOperationException>().WithMessage("*Undescribed*TaskDescription*");
    }

    [TaskName("Undescribed")]
    public sealed class Undescribed : FrostingTask<TestContext>;
}
