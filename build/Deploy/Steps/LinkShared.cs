namespace Build.Deploy.Steps;

/// <summary>
/// Links shared/ files and folders into the release (replacing whatever the artifact had there) and pins
/// NEXT_SERVER_ACTIONS_ENCRYPTION_KEY in shared/.env: generated on the host once, never sent over the wire.
/// </summary>
public sealed record LinkShared(
    ReleaseLayout Layout,
    string ReleaseName,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Directories
) : IRemoteStep
{
    public const string ServerActionsKey = "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY";
    public string Name => "shared";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) =>
        script
            .Set("shared_dir", Layout.Shared)
            .Set("shared_env", Layout.Shared + "/.env")
            .Set("server_actions_key", ServerActionsKey)
            .SetArray("shared_files", Files)
            .SetArray("shared_dirs", Directories)
            .Set("release", Layout.Release(ReleaseName))
            .Include("shared.sh");
}
