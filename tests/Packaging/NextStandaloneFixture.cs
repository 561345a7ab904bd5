using Build.Tests.Infrastructure;
using LibGit2Sharp;

namespace Build.Tests.Packaging;

/// <summary>
/// A throwaway git repository holding a tree shaped like a Next.js standalone build: the standalone folder (with its
/// own .next and node_modules, an executable and a relative symlink), .next/static and public, plus one commit.
/// </summary>
public sealed class NextStandaloneFixture : IDisposable
{
    public static readonly IReadOnlyList<Build.Packaging.PackedPath> NextStandalonePack =
    [
        new(".next/standalone", "."),
        new(".next/static", ".next/static"),
        new("public", "public"),
    ];

    public string Root { get; }
    public string Commit { get; private set; } = "";
    public string OutputDirectory => Path.Combine(Root, "artifacts");

    public NextStandaloneFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "package-app-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Root);
        Repository.Init(Root);
        Write(".gitignore", ".next/\nartifacts/\n");
        Write("package.json", "{ \"name\": \"fixture-app\" }\n");
        Write("public/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
        Commit = CommitAll("initial");
    }

    /// <summary>What `next build` with output: 'standalone' leaves behind (ignored by git, like the real thing; public/
    /// is source and committed).</summary>
    public void CreateBuildOutput()
    {
        Write(
            ".next/standalone/server.js",
            "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT);\n"
        );
        Write(".next/standalone/.next/server/app/page.js", "module.exports = {};\n");
        Write(".next/standalone/node_modules/tool/bin/cli", "#!/bin/sh\necho tool\n");
        File.SetUnixFileMode(
            Path.Combine(Root, ".next/standalone/node_modules/tool/bin/cli"),
            UnixFileMode.UserRead
                | UnixFileMode.UserWrite
                | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead
                | UnixFileMode.OtherExecute
        );
        Directory.CreateDirectory(Path.Combine(Root, ".next/standalone/node_modules/.bin"));
        File.CreateSymbolicLink(Path.Combine(Root, ".next/standalone/node_modules/.bin/cli"), "../tool/bin/cli");
        Write(".next/static/chunks/chunk.js", "console.log('chunk');\n");
    }

    public void Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public string CommitAll(string message)
    {
        using var repository = new Repository(Root);
        Commands.Stage(repository, "*");
        var author = new Signature("Fixture", "fixture@example.invalid", DateTimeOffset.UtcNow);
        Commit = repository.Commit(message, author, author, new CommitOptions { AllowEmptyCommit = true }).Sha;
        return Commit;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Runs a real program (tar, sha256sum) and returns its stdout; fails the test with its stderr.</summary>
    public static string Run(string workingDirectory, string file, params string[] arguments)
    {
        var run = ChildProcess.Run(file, arguments, workingDirectory);
        if (run.ExitCode != 0) Assert.Fail($"{file} {string.Join(' ', arguments)} exited {run.ExitCode}: {run.Error}");
        return run.Out;
    }
}
