namespace Build.Tests.Infrastructure;

/// <summary>
/// A test whose service or tool is missing fails, naming it and the install step: a skip would let a machine
/// without sshd or PostgreSQL report a green run that tested nothing.
/// </summary>
public static class Require
{
    public static void Service(bool available, string what)
    {
        if (available)
            return;
        Assert.Fail(
            $"{what} is not available on this machine: install it with the .ci/setup-*.sh scripts (bash " +
            ".ci/setup-deploy.sh, npm ci; ./build.sh --target=Test --install runs them)."
        );
    }

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (
            var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(
                Path.PathSeparator,
                StringSplitOptions.RemoveEmptyEntries
            )
        )
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Fails unless <paramref name="name"/> is on PATH; returns its path.</summary>
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
            if (
                File.Exists(Path.Combine(dir.FullName, "global.json"))
                && Directory.Exists(Path.Combine(dir.FullName, "build"))
            )
                return dir.FullName;
        throw new InvalidOperationException(
            "Repository root (with global.json) not found above " + AppContext.BaseDirectory
        );
    }
}
