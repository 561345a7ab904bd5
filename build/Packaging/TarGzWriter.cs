using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Build.Packaging;

/// <summary>
/// Writes a <see cref="PackPlan"/> as one gzip-compressed GNU-format tar (long names via GNU long-name records, no
/// per-entry pax header: smaller, and no process id inside): <c>manifest.json</c> first (a reader can get the commit
/// without inflating the whole artifact), then every entry in the plan's order, with its mode bits (executables stay
/// executable) and symlinks as symlinks. Owner is 0/0 with no names: on the host, files belong to whoever unpacks them.
/// </summary>
public static class TarGzWriter
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);
    private const UnixFileMode ManifestMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static async Task WriteAsync(
        string destinationFile,
        PackPlan plan,
        ReleaseManifest manifest,
        Action<string> progress,
        CancellationToken cancellationToken
    )
    {
        await using var file = new FileStream(
            destinationFile,
            FileMode.CreateNew,
            FileAccess.Write,
            FileShare.None,
            bufferSize: 1 << 20,
            useAsync: true
        );
        await using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Gnu, leaveOpen: false);

        var manifestEntry = new GnuTarEntry(TarEntryType.RegularFile, ReleaseManifest.FileName)
        {
            Mode = ManifestMode,
            ModificationTime = manifest.BuiltAt,
            DataStream = new MemoryStream(manifest.ToJsonBytes()),
        };
        await tar.WriteEntryAsync(manifestEntry, cancellationToken);

        var entries = plan.Entries;
        long filesDone = 0, bytesDone = 0;
        var sinceProgress = Stopwatch.StartNew();
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tarEntry = new GnuTarEntry(TypeOf(entry.Kind), entry.ArchivePath)
            {
                Mode = entry.Mode,
                ModificationTime = entry.Modified,
            };
            if (entry.Kind == PackEntryKind.Symlink) tarEntry.LinkName = entry.LinkTarget!;
            if (entry.Kind == PackEntryKind.File)
            {
                await using var data = new FileStream(
                    entry.SourcePath,
                    FileMode.Open,
                    FileAccess.Read,
                    FileShare.Read,
                    bufferSize: 81920,
                    useAsync: true
                );
                if (data.Length != entry.Length)
                    throw new IOException(
                        $"{entry.SourcePath} changed size while being packed ({entry.Length} -> {data.Length} " +
                        "bytes): is a build still running?"
                    );
                tarEntry.DataStream = data;
                await tar.WriteEntryAsync(tarEntry, cancellationToken);
                filesDone++;
                bytesDone += entry.Length;
            }
            else
            {
                await tar.WriteEntryAsync(tarEntry, cancellationToken);
            }

            if (sinceProgress.Elapsed >= ProgressInterval)
            {
                progress(
                    $"Packed {filesDone:N0} of {plan.FileCount:N0} files ({Megabytes(bytesDone)} of " +
                    $"{Megabytes(plan.TotalBytes)})"
                );
                sinceProgress.Restart();
            }
        }
    }

    private static TarEntryType TypeOf(PackEntryKind kind) => kind switch
    {
        PackEntryKind.Directory => TarEntryType.Directory,
        PackEntryKind.Symlink => TarEntryType.SymbolicLink,
        _ => TarEntryType.RegularFile,
    };

    internal static string Megabytes(long bytes) => $"{bytes / 1048576.0:N1} MB";
}
