namespace Build.Deploy.Steps;

/// <summary>
/// Under the lock, before the upload: fails (naming the host, what is free and what is needed) unless the base path's
/// file system has room for the artifact, its unpacked release and a margin; when it has not, it first waits for the
/// background deletion of releases an earlier deploy pruned (<see cref="PruneReleases"/>) and finishes it.
/// </summary>
public sealed record CheckFreeSpace(ReleaseLayout Layout, long ArtifactBytes, long UnpackedBytes) : IRemoteStep
{
    public const long MarginBytes = 4L << 20;
    public string Name => "space";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => [];

    public long NeededBytes => ArtifactBytes + UnpackedBytes + MarginBytes;

    public void Render(ScriptWriter script) => script
        .Set("space_path", Layout.BasePath).Set("pruned_prefix", Layout.Pruned("")).Set("prune_log", Layout.PruneLog)
        .Set("needed_kb", (NeededBytes + 1023) / 1024)
        .Set("space_detail", string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"artifact {ArtifactBytes / 1048576.0:0.0} MB + unpacked {UnpackedBytes / 1048576.0:0.0} MB + {MarginBytes >> 20} MB margin"))
        .Include("space.sh");
}
