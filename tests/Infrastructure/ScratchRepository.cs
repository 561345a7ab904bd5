namespace Build.Tests.Infrastructure;

/// <summary>
/// A throwaway folder the suite takes for a repository (global.json, build/environments.json and its schema), so a
/// test can write files the suite reads from the root, such as <c>.env.staging</c>, without touching the real
/// checkout or a developer's own files there.
/// </summary>
public sealed class ScratchRepository : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"scratch-repo-{Guid.NewGuid():N}");

    public ScratchRepository()
    {
        Directory.CreateDirectory(Path.Combine(Root, "build"));
        File.Copy(Path.Combine(Require.RepositoryRoot, "global.json"), Path.Combine(Root, "global.json"));
        foreach (var file in new[] { "environments.json", "environments.schema.json" })
            File.Copy(Path.Combine(Require.RepositoryRoot, "build", file), Path.Combine(Root, "build", file));
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
