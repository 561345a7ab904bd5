using System.Text.RegularExpressions;
using LibGit2Sharp;

namespace Build.Packaging;

/// <summary>
/// Reads HEAD and the working-tree state with LibGit2Sharp. A modified tree is refused unless allowed, because an
/// artifact must be reproducible from the commit it names: with <c>allowDirty</c> the commit is marked
/// <c>&lt;sha&gt;-dirty</c> everywhere (manifest, artifact name, health route), so it can never pass for the clean
/// commit, and DeployVps refuses it (ReleaseArtifact.Load requires a plain sha): a dirty artifact is for local
/// inspection only.
/// </summary>
public static partial class CommitResolver
{
    private const int DirtyPathsShown = 10;

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex FullSha();

    /// <summary>A <c>--commit=</c> override: the full 40-character sha (a short one could be ambiguous
    /// later).</summary>
    public static SourceCommit FromOverride(string commit)
    {
        var sha = commit.Trim().ToLowerInvariant();
        if (!FullSha().IsMatch(sha))
            throw new ArgumentException($"--commit='{commit}' is not a full 40-character git sha.", nameof(commit));
        return SourceCommit.Clean(sha);
    }

    /// <param name="pathInsideRepository">The app's folder: a change to a tracked file under it makes the tree dirty
    /// (a change elsewhere, such as docs/, cannot reach the artifact).</param>
    /// <param name="packedPaths">Folders or files copied into the artifact as they are: an untracked file there makes
    /// the tree dirty. Untracked files elsewhere (notes, an --output folder) are only reported through
    /// <paramref name="warn"/>.</param>
    public static SourceCommit FromRepository(string pathInsideRepository, bool allowDirty,
        IReadOnlyList<string>? packedPaths = null, Action<string>? warn = null)
    {
        var gitDir = Repository.Discover(pathInsideRepository)
            ?? throw new InvalidOperationException(
                $"{pathInsideRepository} is not inside a git repository: cannot tell which commit to put in the " +
                "manifest (pass --commit=<sha>)."
            );
        using var repository = new Repository(gitDir);
        var head =
            repository.Head.Tip
            ?? throw new InvalidOperationException(
                $"The git repository at {repository.Info.WorkingDirectory} has no commit yet."
            );

        var status = repository.RetrieveStatus(new StatusOptions { IncludeUntracked = true, IncludeIgnored = false });
        var workdir = repository.Info.WorkingDirectory;
        var appRoot = Path.GetFullPath(pathInsideRepository);
        var packed = packedPaths?.Select(p => Path.GetFullPath(p)).ToList();
        var changed = new List<string>();
        var untrackedElsewhere = new List<string>();
        foreach (var entry in status.Where(e => e.State != FileStatus.Ignored && e.State != FileStatus.Unaltered))
        {
            var full = Path.GetFullPath(Path.Combine(workdir, entry.FilePath));
            if (entry.State == FileStatus.NewInWorkdir)
            {
                // Without the list of packed paths (callers other than PackageApp), every untracked file counts.
                if (packed is null || packed.Any(p => IsUnder(full, p))) changed.Add(entry.FilePath);
                else untrackedElsewhere.Add(entry.FilePath);
            }
            else if (IsUnder(full, appRoot)) changed.Add(entry.FilePath);
        }
        if (untrackedElsewhere.Count > 0)
            warn?.Invoke(
                "Untracked files not packed, so not blocking: " +
                $"{string.Join(", ", untrackedElsewhere.Take(DirtyPathsShown))}"
                    + (
                        untrackedElsewhere.Count > DirtyPathsShown
                            ? $" and {untrackedElsewhere.Count - DirtyPathsShown} more"
                            : ""
                    )
                    + ". If the app's build reads one of them, commit it first."
            );
        if (changed.Count == 0)
            return SourceCommit.Clean(head.Sha);
        if (allowDirty)
            return SourceCommit.Modified(head.Sha);

        var shown =
            string.Join(", ", changed.Take(DirtyPathsShown))
            + (changed.Count > DirtyPathsShown ? $" and {changed.Count - DirtyPathsShown} more" : "");
        throw new InvalidOperationException(
            $"The working tree at {repository.Info.WorkingDirectory} has uncommitted changes ({shown}): an artifact " +
            "must be "
                + $"reproducible from commit {head.Sha[..SourceCommit.ShortLength]}. Commit or stash them, or pass " +
                "--allow-dirty to pack anyway as "
                + $"{head.Sha[..SourceCommit.ShortLength]}{SourceCommit.DirtySuffix}."
        );
    }

    private static bool IsUnder(string path, string folderOrFile) =>
        path == folderOrFile
        || path.StartsWith(
            folderOrFile.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar,
            StringComparison.Ordinal
        );
}
