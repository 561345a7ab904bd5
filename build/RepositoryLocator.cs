namespace Build;

public static class RepositoryLocator
{
    /// <summary>The nearest folder at or above <paramref name="start"/> holding global.json and build/; else <paramref name="start"/>.</summary>
    public static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "global.json")) && Directory.Exists(Path.Combine(dir.FullName, "build")))
                return dir.FullName;
        return Path.GetFullPath(start);
    }
}
