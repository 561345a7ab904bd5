using Build.Processes;
using Build.Testing;

namespace Build.Tasks;

[TaskName(nameof(Test))]
[TaskDescription(
    "Runs the test suite (tests/, NUnit) against real PostgreSQL, sshd, PM2 and Nginx; --filter=EXPR narrows it; a " +
    "missing program fails the run naming its install command (--install runs .ci/setup-*.sh); prints 'N passed, N " +
    "failed, N skipped'"
)]
[TaskArgument<string>("filter", "dotnet test filter, e.g. FullyQualifiedName~Deploy", Placeholder = "EXPR")]
[TaskArgument<bool>(
    "install",
    "First run every .ci/setup-*.sh (installs sshd, Nginx, PostgreSQL... with apt-get; Debian, as root), as CI does"
)]
[TaskArgument<string>(
    "hang-timeout",
    "Kill and report a test that hangs longer than this (default 5m)",
    Placeholder = "DURATION"
)]
public sealed class Test : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        if (context.Flag("install")) await InstallAsync(context);
        var missing = TestPrerequisites.FindMissing(context.RepositoryRoot);
        if (missing.Count > 0)
        {
            // A filtered run may not need them all: its tests that do will fail, naming what is missing.
            if (context.Arg("filter") is null) throw new InvalidOperationException(TestPrerequisites.Describe(missing));
            context.Warning(TestPrerequisites.Describe(missing));
        }

        var results = context.InRepository("artifacts/test-results");
        if (Directory.Exists(results)) Directory.Delete(results, recursive: true);
        var arguments = new List<string>
        {
            "test", context.InRepository("tests/Build.Tests.csproj"),
            "--logger", "trx;LogFileName=tests.trx", "--logger", "console;verbosity=normal",
            "--results-directory", results,
            // A hung test (a server that never answers) is killed and reported instead of stalling CI.
            "--blame-hang-timeout", context.Arg("hang-timeout", "5m")!,
        };
        if (context.Arg("filter") is { Length: > 0 } filter) arguments.AddRange(["--filter", filter]);

        // Through our console, so that the test output is masked like everything else.
        var exitCode = await ChildProcess.RunAsync(DotnetHost(), arguments, context.RepositoryRoot,
            Console.Out.WriteLine,
            new Dictionary<string, string>
            {
                ["NO_COLOR"] = "1", ["DOTNET_NOLOGO"] = "1",
                ["PATH"] = TestPrerequisites.SearchPath(Environment.GetEnvironmentVariable("PATH")),
            });

        var trx = Directory.Exists(results) ? Directory.GetFiles(results, "*.trx", SearchOption.AllDirectories) : [];
        if (trx.Length == 0)
            throw new InvalidOperationException(
                $"dotnet test exited {exitCode} and wrote no results under {results}: the tests did not run (a build " +
                "error?)."
            );
        var summary = TrxSummary.Sum(trx.Select(TrxSummary.Read));
        // Each failure again, just above the count: the console listed it among thousands of passes, and a CI log
        // often keeps only its tail. Through the masked console, like the test output itself.
        foreach (var line in TrxFailure.Listing(trx.SelectMany(TrxFailure.Read).ToList()))
            context.Information("{0}", line);
        context.Information(summary.ToString());
        context.Ci.Summary($"### Tests\n\n{summary}");
        if (summary.Failed > 0 || exitCode != 0)
            throw new InvalidOperationException($"Tests failed: {summary} (dotnet test exit code {exitCode}).");
        if (summary.Total == 0)
            throw new InvalidOperationException("No test ran: check --filter.");
        if (summary.Passed == 0)
            throw new InvalidOperationException($"No test passed ({summary}): every selected test was skipped.");
    }

    /// <summary>The dotnet that runs this build when the SDK says so (it sets DOTNET_HOST_PATH for its children), else
    /// "dotnet", which .NET looks for beside the running dotnet first, then on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : "dotnet";

    /// <summary>--install: the same set-up scripts CI runs, in order, each stopping the run if it fails.</summary>
    private static async Task InstallAsync(BuildContext context)
    {
        foreach (
            var script in Directory.GetFiles(context.InRepository(".ci"), "setup-*.sh").Order(StringComparer.Ordinal)
        )
        {
            var name = Path.GetRelativePath(context.RepositoryRoot, script);
            context.Information("--install: bash {0}", name);
            var exitCode = await ChildProcess.RunAsync(
                "bash",
                [script],
                context.RepositoryRoot,
                line => context.Information("  {0}", line)
            );
            if (exitCode != 0)
                throw new InvalidOperationException(
                    $"--install: bash {name} exited {exitCode} (see above); it needs Debian's apt-get, as root."
                );
        }
    }
}
