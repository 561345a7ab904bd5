namespace Build.Deploy.Steps;

/// <summary>
/// Receives the artifact streamed on fd 3 (<see cref="IRemoteShell"/>) and unpacks it as it arrives into
/// <c>releases/.tmp-&lt;name&gt;</c>, hashing the same bytes: no staged copy, and the upload and the unpack overlap.
/// Fails (the temp folder goes with the phase's cleanup) unless the SHA-256 of what arrived is the artifact's;
/// <see cref="UnpackRelease"/> (<c>Received</c>) then checks the content and renames the folder into place.
/// </summary>
public sealed record ReceiveRelease(ReleaseLayout Layout, string ArtifactName, string ReleaseName, string Sha256) : IRemoteStep
{
    public string Name => "receive";

    public void Render(ScriptWriter script) => script.Lines(
        $"release={Shell.Quote(Layout.Release(ReleaseName))}",
        $"unpack={Shell.Quote(Layout.UnpackTemp(ReleaseName))}",
        "[ ! -e \"$release\" ] || fail \"release $release already exists\"",
        "received_sum=\"$unpack.sha256\"",
        "cleanup_paths+=(\"$unpack\" \"$received_sum\")",
        "rm -rf \"$unpack\" \"$received_sum\" && mkdir -p \"$unpack\"",
        // The hash is computed by a process substitution of this shell (so that it can be waited for) fed by tee.
        "exec 4> >(sha256sum > \"$received_sum\")",
        "sum_pid=$!",
        $"tee /dev/fd/4 <&3 | tar -xzf - -C \"$unpack\" --no-same-owner || fail \"unpacking {ArtifactName} into $unpack as it arrived failed (see above; on $(hostname), $(df -Pk \"$unpack\" | awk 'NR==2 {{ printf \"%d MB free\", $4/1024 }}'))\"",
        "exec 4>&-",
        "wait \"$sum_pid\" 2>/dev/null || true",
        "actual=$(cut -d ' ' -f 1 < \"$received_sum\")",
        $"[ \"$actual\" = {Shell.Quote(Sha256)} ] || fail \"checksum of the received {ArtifactName} is ${{actual:-(none)}}, expected {Sha256}\"",
        "rm -f \"$received_sum\"");
}
