using Build.Host;
using Build.Processes;
using Build.Testing;
using Cake.Common.Diagnostics;

namespace Build.Tasks;

[TaskName(nameof(Test))]
[TaskDescription("Runs the test suite (tests/, NUnit) against real PostgreSQL, sshd, PM2 and Nginx; --filter=EXPR narrows it; prints 'N passed, N failed, N skipped'")]
[TaskArgument<string>("filter", "dotnet test filter, e.g. FullyQualifiedName~Deploy", Placeholder = "EXPR")]
[TaskArgument<string>("hang-timeout", "Kill and report a test that hangs longer than this (default 5m)", Placeholder = "DURATION")]
public sealed class Test : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
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
        var exitCode = await ChildProcess.RunAsync("dotnet", arguments, context.RepositoryRoot, Console.Out.WriteLine,
            new Dictionary<string, string> { ["NO_COLOR"] = "1", ["DOTNET_NOLOGO"] = "1" });

        var trx = Directory.Exists(results) ? Directory.GetFiles(results, "*.trx", SearchOption.AllDirectories) : [];
        if (trx.Length == 0)
            throw new InvalidOperationException($"dotnet test exited {exitCode} and wrote no results under {results}: the tests did not run (a build error?).");
        var summary = TrxSummary.Sum(trx.Select(TrxSummary.Read));
        context.Information(summary.ToString());
        context.Ci.Summary($"### Tests\n\n{summary}");
        if (summary.Failed > 0 || exitCode != 0)
            throw new InvalidOperationException($"Tests failed: {summary} (dotnet test exit code {exitCode}).");
        if (summary.Total == 0)
            throw new InvalidOperationException("No test ran: check --filter.");
    }
}
