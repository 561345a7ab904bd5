namespace Build.Tests.Infrastructure;

/// <summary>A throwaway copy of the repository's skeleton (global.json and build/environments.json) in a temporary
/// folder, optionally a git repository, for tests that put files at the root (a .env.&lt;env&gt;) without touching the
/// real checkout. The suite finds it as its repository when run with it as working directory.</summary>
public sealed class ScratchRepository : IDisposable
{
    public string Root { get; }

    private ScratchRepository(string root) => Root = root;

    public static ScratchRepository Create(bool git = false)
    {
        var root = Directory.CreateTempSubdirectory("suite-repo-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "build"));
        File.Copy(Path.Combine(Require.RepositoryRoot, "global.json"), Path.Combine(root, "global.json"));
        File.Copy(
            Path.Combine(Require.RepositoryRoot, "build", "environments.json"),
            Path.Combine(root, "build", "environments.json")
        );
        File.Copy(
            Path.Combine(Require.RepositoryRoot, "build", "environments.schema.json"),
            Path.Combine(root, "build", "environments.schema.json")
        );
        var repository = new ScratchRepository(root);
        if (git) repository.Git("init", "-q");
        return repository;
    }

    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        File.WriteAllText(path, text);
        return path;
    }

    public string Git(params string[] arguments)
    {
        return ChildProcess.Check(Require.Tool("git"), arguments, Root);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
