namespace Build.Packaging;

/// <summary>
/// Which artifact a deploy ships: <c>--artifact=&lt;file&gt;</c>, else the one PackageApp made in this run, else the
/// newest <c>artifacts/*.tar.gz</c> built from the commit asked for (<c>--commit=</c>, else HEAD). Never an artifact
/// of another commit: the newest file by time may be anyone's build.
/// </summary>
public static class ArtifactSelector
{
    /// <param name="given">The value of <c>--artifact</c>; null when it was not given.</param>
    /// <param name="askedCommit">The commit the deploy is for (called only when it must choose from the
    /// folder).</param>
    /// <param name="pattern">Which files of the folder are candidates (DeployVps: the environment's own
    /// builds).</param>
    public static string Choose(
        string? given,
        string? packaged,
        string folder,
        Func<string> askedCommit,
        string pattern = "*.tar.gz"
    )
    {
        if (given is not null) return Given(given);
        if (packaged is not null) return packaged;
        var commit = askedCommit().ToLowerInvariant();
        var found = Directory.Exists(folder)
            ? new DirectoryInfo(folder).GetFiles(pattern).OrderByDescending(f => f.LastWriteTimeUtc).ToList()
            : [];
        var others = new List<string>();
        foreach (var file in found)
        {
            string artifactCommit;
            try { artifactCommit = ReleaseArtifact.ReadCommit(file.FullName); }
            catch (InvalidDataException) { others.Add($"{file.Name} (unreadable)"); continue; }
            if (artifactCommit == commit) return file.FullName;
            others.Add($"{file.Name} (commit {artifactCommit[..Math.Min(7, artifactCommit.Length)]})");
        }
        throw new FileNotFoundException(
            $"No artifact of commit {commit[..Math.Min(7, commit.Length)]} in {folder}" +
            $"{(pattern == "*.tar.gz" ? "" : $" matching {pattern}")}"
                + (
                    others.Count > 0
                        ? $" (found only {string.Join(", ", others.Take(5))}{(others.Count > 5 ? ", ..." : "")})"
                        : ""
                )
                + ": run PackageApp (with --env) for that commit, or pass --artifact=<path to .tar.gz>."
        );
    }

    private static string Given(string given)
    {
        if (string.IsNullOrWhiteSpace(given))
            throw new ArgumentException(
                "--artifact= is empty: give the path of an artifact (.tar.gz), or leave --artifact out to ship what " +
                "PackageApp builds."
            );
        var full = Path.GetFullPath(given);
        if (Directory.Exists(full))
        {
            var inside = Directory.GetFiles(full, "*.tar.gz").Select(Path.GetFileName).Take(5).ToList();
            throw new ArgumentException(
                $"--artifact={given} is a directory ({full}); give the .tar.gz file itself"
                    + (inside.Count > 0 ? $", for example {Path.Combine(given, inside[0]!)}" : " (it holds no .tar.gz)")
                    + "."
            );
        }
        return full;
    }

    /// <summary>Refuses an artifact whose manifest names another commit than the one asked for.</summary>
    public static void RequireCommit(ReleaseArtifact artifact, string? askedCommit)
    {
        if (
            askedCommit is null
            || string.Equals(artifact.Commit, askedCommit.Trim(), StringComparison.OrdinalIgnoreCase)
        )
            return;
        throw new InvalidDataException(
            $"Artifact {artifact.Path} was built from commit {artifact.Commit}, not {askedCommit.Trim()} as --commit " +
            "asks."
        );
    }
}
