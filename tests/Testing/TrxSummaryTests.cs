using Build.Testing;
using Build.Tests.Infrastructure;

namespace Build.Tests.Testing;

/// <summary>The run's verdict is counted from each result's outcome, the same way in the Test target and in
/// .ci/run.</summary>
public sealed class TrxSummaryTests
{
    private static readonly string Fixture = Path.Combine(
        Require.RepositoryRoot,
        "tests",
        "Testing",
        "fixtures",
        "nunit-ignored.trx"
    );

    [Test]
    public void Ignored_tests_are_skips_even_when_the_counters_say_none_were_not_executed()
    {
        var summary = TrxSummary.Read(Fixture);

        summary.Should().Be(new TrxSummary(Total: 6, Passed: 2, Failed: 2, Skipped: 2));
        summary.ToString().Should().Be("2 passed, 2 failed, 2 skipped");
    }

    [Test]
    public void A_run_of_only_ignored_tests_is_not_an_empty_run()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ignored-{Guid.NewGuid():N}.trx");
        File.WriteAllText(path, """
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
            <UnitTestResult testName="a" outcome="NotExecuted" /><UnitTestResult testName="b" outcome="Inconclusive" />
            </Results><ResultSummary><Counters total="2" passed="0" failed="0" notExecuted="0" /></ResultSummary>
            </TestRun>
            """);
        try
        {
            TrxSummary.Read(path).Should().Be(new TrxSummary(2, 0, 0, 2));
            CiCounts(path).Should().Be("0 0 2");
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void Ci_run_counts_the_same_results_as_the_Test_target()
    {
        var summary = TrxSummary.Sum([TrxSummary.Read(Fixture), TrxSummary.Read(Fixture)]);

        CiCounts(Fixture, Fixture).Should().Be($"{summary.Passed} {summary.Failed} {summary.Skipped}").And.Be("4 4 4");
        // .ci/run prints its last line from these numbers.
        File.ReadAllText(Path.Combine(Require.RepositoryRoot, ".ci", "run")).Should()
            .Contain("read -r passed failed skipped < <(bash .ci/trx-counts.sh \"${trx[@]}\")")
            .And.Contain("echo \"${passed} passed, ${failed} failed, ${skipped} skipped\"");
    }

    private static string CiCounts(params string[] files)
    {
        var run = ChildProcess.Run(
            Require.Tool("bash"),
            [Path.Combine(Require.RepositoryRoot, ".ci", "trx-counts.sh"), .. files]
        );
        run.ExitCode.Should().Be(0, run.Error);
        return run.Out.Trim();
    }
}
