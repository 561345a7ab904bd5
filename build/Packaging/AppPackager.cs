using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Build.Packaging;

/// <summary>
/// PackageApp's work: build the app once, then pack the configured paths into one <c>tar.gz</c> with a manifest and a
/// checksum sidecar. The same file is what staging and then production receive.
/// </summary>
public sealed partial class AppPackager(Action<string> log)
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex SafeName();

    public async Task<PackageResult> PackageAsync(PackageRequest request, CancellationToken cancellationToken = default)
    {
        if (!SafeName().IsMatch(request.AppName))
            throw new InvalidOperationException(
                $"project.name '{request.AppName}' cannot name an artifact file: use letters, digits, '.', '_' and '-'."
            );

        var commit = request.CommitOverride is { } sha
            ? CommitResolver.FromOverride(sha)
            : CommitResolver.FromRepository(
                request.AppRoot,
                request.AllowDirty,
                request.Pack.Select(p => Path.Combine(request.AppRoot, p.Source)).ToList(),
                message => log("Warning: " + message)
            );
        if (commit.Dirty)
            log(
                $"Warning: packing uncommitted changes; the artifact is marked {commit.ShortSha} and DeployVps will " +
                "refuse it."
            );

        if (request.SkipBuild)
            log("Skipping the build (--skip-build): packing what is already built.");
        else
        {
            log($"Building {request.AppName} at {commit.ShortSha}: {request.BuildCommand}");
            var watch = Stopwatch.StartNew();
            await BuildCommandRunner.RunAsync(
                request.BuildCommand,
                request.AppRoot,
                commit.Sha,
                log,
                cancellationToken,
                request.BuildEnvironment
            );
            log($"Build finished in {watch.Elapsed.TotalSeconds:N1} s.");
        }

        var plan = PackPlan.Create(request.AppRoot, request.Pack, [ReleaseManifest.FileName]);
        var manifest = new ReleaseManifest
        {
            App = request.AppName,
            Commit = commit.Sha,
            ShortCommit = commit.ShortSha,
            Dirty = commit.Dirty,
            Environment = request.Target?.Environment,
            SupabaseProjectRef = request.Target?.SupabaseProjectRef,
            BuiltAt = TruncateToSeconds(DateTimeOffset.UtcNow),
            Paths = request.Pack,
            FileCount = plan.FileCount,
            SymlinkCount = plan.SymlinkCount,
            TotalBytes = plan.TotalBytes,
        };

        Directory.CreateDirectory(request.OutputDirectory);
        // One commit gives one artifact per environment (their bundles differ): the environment is in the name.
        var stem = request.Target is { } target ? $"{request.AppName}-{target.Environment}" : request.AppName;
        var artifactPath = Path.Combine(Path.GetFullPath(request.OutputDirectory), $"{stem}-{commit.ShortSha}.tar.gz");
        var checksumPath = ChecksumSidecar.PathFor(artifactPath);
        log($"Packing {plan.FileCount:N0} files ({TarGzWriter.Megabytes(plan.TotalBytes)}) into {artifactPath}");

        // Written beside the target and renamed at the end: an interrupted run never leaves a truncated artifact
        // under the real name, and a stale sidecar never sits next to a new artifact.
        var partial = $"{artifactPath}.partial-{Environment.ProcessId}";
        try
        {
            var packWatch = Stopwatch.StartNew();
            await TarGzWriter.WriteAsync(partial, plan, manifest, log, cancellationToken);
            var sha256 = await ChecksumSidecar.ComputeAsync(partial, cancellationToken);
            File.Delete(checksumPath);
            File.Move(partial, artifactPath, overwrite: true);
            await File.WriteAllTextAsync(checksumPath, ChecksumSidecar.Format(sha256, artifactPath), cancellationToken);

            var bytes = new FileInfo(artifactPath).Length;
            log(
                $"Packed in {packWatch.Elapsed.TotalSeconds:N1} s: {Path.GetFileName(artifactPath)} (" +
                $"{TarGzWriter.Megabytes(bytes)}), sha256 {sha256}"
            );
            foreach (var warning in plan.Warnings)
                log("Warning: " + warning);
            return new PackageResult(artifactPath, checksumPath, sha256, bytes, manifest, plan.Warnings);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
