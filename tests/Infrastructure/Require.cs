namespace Build.Tests.Infrastructure;

/// <summary>
/// A test whose service or tool is missing: under CI (CI=true) it fails, so a missing install step can never pass
/// as green; on a developer machine it is reported as ignored with the reason.
/// </summary>
public static class Require
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Under CI or the Test target (./build.sh --target=Test), a missing service fails the test.</summary>
    public static bool MustHaveServices => IsCi || Environment.GetEnvironmentVariable("BUILD_TESTS_REQUIRE_SERVICES") == "1";

    public static void Service(bool available, string what)
    {
        if (available) return;
        var message = $"{what} is not available on this machine: install it with the .ci/setup-*.sh scripts (./build.sh --target=Test --install runs them).";
        if (MustHaveServices) Assert.Fail(message);
        Assert.Ignore(message);
    }

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Fails (CI) or ignores (locally) unless <paramref name="name"/> is on PATH; returns its path.</summary>
    public static string Tool(string name)
    {
        var path = FindOnPath(name);
        Service(path is not null, $"'{name}'");
        return path!;
    }

    /// <summary>The repository root (the folder holding global.json), found from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "global.json")) && Directory.Exists(Path.Combine(dir.FullName, "build")))
                return dir.FullName;
        throw new InvalidOperationException("Repository root (with global.json) not found above " + AppContext.BaseDirectory);
    }
}
