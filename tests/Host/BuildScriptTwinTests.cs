using Build.Tests.Infrastructure;

namespace Build.Tests.Host;

/// <summary>
/// build.ps1 is build.sh's twin for PowerShell users (PowerShell 7.6.9 is a local dotnet tool:
/// .config/dotnet-tools.json). The same arguments, from the same folder, give the same exit code, the same output and
/// the same error.
/// </summary>
[NonParallelizable]
public class BuildScriptTwinTests
{
    // a stale build/ is rebuilt first (about a minute)
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    private static ChildProcess.Result Run(string folder, string program, IEnumerable<string> arguments) =>
        ChildProcess.Run(program, arguments, folder, [new("NO_COLOR", "1")], Deadline);

    /// <summary>PowerShell is there, and build/ is built (by build.sh, if stale), so that neither compared run prints
    /// set-up lines of its own ("build.sh: built in 60 s") and their whole output can be compared.</summary>
    [OneTimeSetUp]
    public void RequirePowerShellAndABuiltSuite()
    {
        RequirePowerShell();
        var build = Run(
            Require.RepositoryRoot,
            Require.Tool("bash"),
            [Path.Combine(Require.RepositoryRoot, "build.sh"), "--tree"]
        );
        build.ExitCode.Should().Be(0, build.Out + build.Error);
    }

    private static void RequirePowerShell()
    {
        var version = Run(
            Require.RepositoryRoot,
            "dotnet",
            ["pwsh", "-NoProfile", "-NonInteractive", "-Command", "$PSVersionTable.PSVersion.ToString()"]
        );
        Require.Service(
            version.ExitCode == 0 && version.Out.Trim() == "7.6.9",
            $"PowerShell 7.6.9 as a local dotnet tool (dotnet tool restore; got exit {version.ExitCode}: " +
            $"{version.Out.Trim()} {version.Error.Trim()})"
        );
    }

    [TestCase("", "--tree")]
    [TestCase("", "--description")]
    [TestCase("", "--target=NoSuchTarget")]
    [TestCase("", "--target=Validate", "--env=a \"quoted\" name with spaces")]
    [TestCase("tests", "--target=Validate", "--config=missing.json")] // a relative path is the caller's
    public void Build_ps1_answers_like_build_sh(string folder, params string[] arguments)
    {
        var from = Path.Combine(Require.RepositoryRoot, folder);
        var bash = Run(from, Require.Tool("bash"), [Path.Combine(Require.RepositoryRoot, "build.sh"), .. arguments]);
        var pwsh = Run(
            from,
            "dotnet",
            [
                "pwsh",
                "-NoProfile",
                "-NonInteractive",
                "-File",
                Path.Combine(Require.RepositoryRoot, "build.ps1"),
                .. arguments,
            ]
        );

        pwsh.ExitCode.Should()
            .Be(bash.ExitCode, $"build.sh said:\n{bash.Out}{bash.Error}\nbuild.ps1 said:\n{pwsh.Out}{pwsh.Error}");
        pwsh.Out.Should().Be(bash.Out);
        pwsh.Error.Should().Be(bash.Error);
        (bash.Out + bash.Error).Should().NotBeEmpty("each case prints something to compare");
    }
}
