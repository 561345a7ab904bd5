using Build.Secrets;
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
    private static readonly string FailedFixture = Path.Combine(
        Require.RepositoryRoot,
        "tests",
        "Testing",
        "fixtures",
        "nunit-failed.trx"
    );
    private const string MaskingTest =
        "Build.Tests.Validation.MaskingTests.A_secret_an_app_echoes_into_its_health_answer_is_masked_on_the_console";

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

    [Test]
    public void Each_failure_is_listed_with_its_full_name_the_head_of_its_message_and_our_first_frame()
    {
        var lines = TrxFailure.Listing(TrxFailure.Read(FailedFixture)).ToList();

        lines[0].Should().Be("Failed tests (3):");
        lines[1].Should().Be("Failed: " + MaskingTest);
        lines[2].Should().Be("      Expected run.ExitCode to be 0 because the health check answered, but found 1.");
        lines[4].Should().Be("      output line 3 <tag> & \"q\"", "entities are decoded");
        lines[16].Should().Be("      output line 15 <tag> & \"q\"", "15 lines of the message are shown");
        lines[17].Should().Be("    ... (3 more lines in the .trx file)");
        lines[18].Should().Be($"    at {MaskingTest}() in /ci/clone/tests/Validation/MaskingTests.cs:line 65",
            "FluentAssertions' frames come first; ours is the one shown");
        lines[19].Should().Be("Failed: Build.Tests.Deploy.NextAppDeployTests.Serves(\"/chat\")");
        lines[20].Should().Be("    System.InvalidOperationException : nothing listens on 127.0.0.1:40123 after 10 s",
            "CR LF line ends are lines");
        lines[21].Should().Be("    " + new string('x', TrxFailure.LineLength) + " [...]", "a long line is cut");
        lines[22].Should().StartWith("    at Build.Tests.Deploy.Fixtures.Processes.WaitForPort(")
            .And.EndWith("Processes.cs:line 35");
        lines[23].Should().Be("Aborted: Hung");
        lines[24].Should().Be("    (no error message)");
        lines.Should().HaveCount(25)
            .And.NotContain(l => l.Contains("Ignored") || l.Contains("Passes") || l.Contains("Socket.Connect"));
    }

    [Test]
    public void A_run_without_failures_lists_nothing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"passed-{Guid.NewGuid():N}.trx");
        File.WriteAllText(path, """
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
            <UnitTestResult testName="a" outcome="Passed" />
            <UnitTestResult testName="b" outcome="NotExecuted">
              <Output><ErrorInfo><Message>ignored</Message></ErrorInfo></Output>
            </UnitTestResult>
            </Results></TestRun>
            """);
        try
        {
            TrxFailure.Listing(TrxFailure.Read(path)).Should().BeEmpty();
            CiFailures(path).Should().BeEmpty();
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void Ci_run_lists_the_same_failures_as_the_Test_target_with_passwords_in_urls_masked()
    {
        File.ReadAllText(FailedFixture).Should()
            .Contain("postgres:Fixture-Pa55word@", "the fixture carries a password: this test can fail");
        var target = TrxFailure.Listing([.. TrxFailure.Read(FailedFixture), .. TrxFailure.Read(Fixture)])
            .Select(l => l.Replace("Fixture-Pa55word", SecretMasker.Mask));

        CiFailures(FailedFixture, Fixture).Should().Equal(target);
        CiFailures(FailedFixture).Should()
            .Contain("      HTTP 500: could not connect to postgresql://postgres:***@db.example.com:5432/postgres");
    }

    [Test]
    public void Ci_run_prints_the_failures_after_the_run_and_its_count_last()
    {
        var run = File.ReadAllLines(Path.Combine(Require.RepositoryRoot, ".ci", "run"));
        var listing = Array.FindIndex(run, l => l.Trim() == "bash .ci/trx-failures.sh \"${trx[@]}\"");
        var test = Array.FindIndex(run, l => l.Trim() == "./build.sh --target=Test");
        var count = Array.FindIndex(run,
            l => l.Trim() == "echo \"${passed} passed, ${failed} failed, ${skipped} skipped\"");

        listing.Should().BeGreaterThan(test, "the failures are listed after the tests ran");
        count.Should().BeGreaterThan(listing, "the count stays the last line");
        run[(count + 1)..].Should().NotContain(l => l.Contains("echo"), "nothing is printed after the count");
    }

    [Test]
    public async Task The_Test_target_lists_each_failure_masked_just_above_its_count()
    {
        // A stand-in for dotnet: it "runs the tests" by writing the failed fixture where the target reads results.
        using var repository = ScratchRepository.Create();
        var bin = Directory.CreateDirectory(Path.Combine(repository.Root, "fake-bin")).FullName;
        var dotnet = Path.Combine(bin, "dotnet");
        File.WriteAllText(dotnet, $"""
            #!/usr/bin/env bash
            while (( $# )); do [[ $1 == --results-directory ]] && results=$2; shift; done
            mkdir -p "$results" && cp '{FailedFixture}' "$results/tests.trx"
            echo "  Passed Passes [10 ms]"
            exit 1
            """.Replace("\r\n", "\n"));
        File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // The target runs the dotnet that DOTNET_HOST_PATH names (the SDK sets it for the test host): here, the
        // stand-in.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        SuiteRun.Result run;
        try
        {
            Environment.SetEnvironmentVariable("DOTNET_HOST_PATH", dotnet);
            run = await SuiteRun.RunInAsync(repository.Root, null,
                "--target=Test", "--filter=FullyQualifiedName~Anything");
        }
        finally { Environment.SetEnvironmentVariable("DOTNET_HOST_PATH", host); }

        run.ExitCode.Should().Be(1, run.All);
        run.All.Should().NotContain("Fixture-Pa55word", "the listing goes through the masked console");
        var lines = run.Out.Split('\n').Select(l => l.TrimEnd()).ToList();
        var header = lines.FindIndex(l => l.EndsWith("Failed tests (3):"));
        var count = lines.FindIndex(l => l.EndsWith("1 passed, 3 failed, 1 skipped"));
        header.Should().BeGreaterThan(lines.FindIndex(l => l.Contains("Passed Passes")), run.Out);
        count.Should().BeGreaterThan(header, run.Out);
        string.Join("\n", lines[header..count]).Should()
            .Contain("Failed: " + MaskingTest)
            .And.Contain("could not connect to postgresql://postgres:***@db.example.com")
            .And.Contain("at Build.Tests.Deploy.Fixtures.Processes.WaitForPort(")
            .And.Contain("Aborted: Hung");
    }

    private static IReadOnlyList<string> CiFailures(params string[] files)
    {
        var script = Path.Combine(Require.RepositoryRoot, ".ci", "trx-failures.sh");
        var run = ChildProcess.Run(Require.Tool("bash"), [script, .. files]);
        run.ExitCode.Should().Be(0, run.Error);
        return run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
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
