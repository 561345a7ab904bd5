namespace Build.Deploy.Steps;

/// <summary>Checks the uploaded archive's SHA-256 on the host: a truncated or altered upload never gets unpacked.</summary>
public sealed record VerifyUpload(ReleaseLayout Layout, string UploadName, string Sha256) : IRemoteStep
{
    public string Name => "verify";

    public void Render(ScriptWriter script) => script.Lines(
        $"upload={Shell.Quote(Layout.Upload(UploadName))}",
        "cleanup_paths+=(\"$upload\")",
        "[ -f \"$upload\" ] || fail \"upload $upload is missing\"",
        "actual=$(sha256sum \"$upload\" | cut -d ' ' -f 1)",
        $"[ \"$actual\" = {Shell.Quote(Sha256)} ] || fail \"checksum of $upload is $actual, expected {Sha256}\"");
}

/// <summary>
/// Unpacks into <c>releases/.tmp-&lt;name&gt;</c>, checks the manifest's commit and the entry point, then renames the
/// folder into place: a release folder either exists whole or not at all.
/// </summary>
/// <remarks>With <see cref="Received"/>, <see cref="ReceiveRelease"/> already unpacked the streamed archive into the
/// temp folder: only the checks and the rename are left.</remarks>
public sealed record UnpackRelease(ReleaseLayout Layout, string UploadName, string ReleaseName, string Commit, string Entry, bool Received = false) : IRemoteStep
{
    public string Name => "unpack";

    public void Render(ScriptWriter script)
    {
        script.Lines(
            $"release={Shell.Quote(Layout.Release(ReleaseName))}",
            $"unpack={Shell.Quote(Layout.UnpackTemp(ReleaseName))}");
        if (!Received)
            script.Lines(
                "[ ! -e \"$release\" ] || fail \"release $release already exists\"",
                "cleanup_paths+=(\"$unpack\")",
                "rm -rf \"$unpack\" && mkdir -p \"$unpack\"",
                $"tar -xzf {Shell.Quote(Layout.Upload(UploadName))} -C \"$unpack\" --no-same-owner || fail \"unpacking {UploadName} into $unpack failed (see above; on $(hostname), $(df -Pk \"$unpack\" | awk 'NR==2 {{ printf \"%d MB free\", $4/1024 }}'))\"");
        script.Lines(
        // A symlink that leads out of the release (server.js -> /elsewhere) would run or serve foreign files: refused.
        "unpack_real=$(readlink -f \"$unpack\")",
        "while IFS= read -r -d '' link; do",
        "  resolved=$(readlink -m -- \"$link\")",
        "  case \"$resolved\" in \"$unpack_real\"|\"$unpack_real\"/*) ;; *) fail \"the artifact entry ${link#\"$unpack\"/} is a symlink to $(readlink -- \"$link\"), outside the release: refused\" ;; esac",
        "done < <(find \"$unpack\" -type l -print0)",
        "[ -f \"$unpack/manifest.json\" ] || fail \"the artifact has no manifest.json at its root\"",
        $"[ \"$(manifest_commit \"$unpack\")\" = {Shell.Quote(Commit)} ] || fail \"manifest.json commit is $(manifest_commit \"$unpack\"), expected {Commit}\"",
        $"[ -f \"$unpack\"/{Shell.Quote(Entry)} ] || fail \"the artifact has no \"{Shell.Quote(Entry)}",
        "mv -T \"$unpack\" \"$release\"");
        if (!Received) script.Line($"rm -f {Shell.Quote(Layout.Upload(UploadName))}");
        script.Line("echo \"unpacked $release\"");
    }
}

/// <summary>
/// Links shared/ files and folders into the release (replacing whatever the artifact had there) and pins
/// NEXT_SERVER_ACTIONS_ENCRYPTION_KEY in shared/.env: generated on the host once, never sent over the wire.
/// </summary>
public sealed record LinkShared(ReleaseLayout Layout, string ReleaseName, IReadOnlyList<string> Files, IReadOnlyList<string> Directories) : IRemoteStep
{
    public const string ServerActionsKey = "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY";
    public string Name => "shared";

    public void Render(ScriptWriter script)
    {
        var shared = Layout.Shared;
        var env = $"{shared}/.env";
        script.Lines(
            $"mkdir -p {Shell.Quote(shared)}",
            $"if [ ! -e {Shell.Quote(env)} ]; then (umask 077; : > {Shell.Quote(env)}); fi",
            $"if ! grep -q '^{ServerActionsKey}=' {Shell.Quote(env)}; then",
            $"  if [ -s {Shell.Quote(env)} ] && [ -n \"$(tail -c 1 {Shell.Quote(env)})\" ]; then echo >> {Shell.Quote(env)}; fi",
            $"  printf '{ServerActionsKey}=%s\\n' \"$(head -c 32 /dev/urandom | base64)\" >> {Shell.Quote(env)}",
            $"  echo 'generated {ServerActionsKey} in '{Shell.Quote(env)}",
            "fi");
        foreach (var dir in Directories)
            script.Line($"mkdir -p {Shell.Quote($"{shared}/{dir}")}");
        foreach (var file in Files)
            script.Line($"mkdir -p \"$(dirname {Shell.Quote($"{shared}/{file}")})\" && touch {Shell.Quote($"{shared}/{file}")}");
        foreach (var path in Files.Concat(Directories))
        {
            var inRelease = $"{Layout.Release(ReleaseName)}/{path}";
            script.Line($"rm -rf {Shell.Quote(inRelease)} && mkdir -p \"$(dirname {Shell.Quote(inRelease)})\" && ln -s {Shell.Quote($"{shared}/{path}")} {Shell.Quote(inRelease)}");
        }
    }
}
