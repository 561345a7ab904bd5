namespace Build;

public static class RepositoryLocator
{
    /// <summary>The nearest folder at or above <paramref name="start"/> holding global.json and build/; else
    /// <paramref name="start"/>.</summary>
    public static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (
                File.Exists(Path.Combine(dir.FullName, "global.json"))
                && Directory.Exists(Path.Combine(dir.FullName, "build"))
            )
                return dir.FullName;
        return Path.GetFullPath(start);
    }

    /// <summary>The checkout this suite was built from (its assembly lies under build/bin or tests/bin), so that
    /// ./build.sh works from any folder; else the one around <paramref name="workingDirectory"/>.</summary>
    public static string ForSuite(string workingDirectory)
    {
        var fromAssembly = FindRoot(AppContext.BaseDirectory);
        return File.Exists(Path.Combine(fromAssembly, "global.json")) ? fromAssembly : FindRoot(workingDirectory);
    }
}
