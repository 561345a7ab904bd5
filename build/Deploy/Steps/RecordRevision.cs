namespace Build.Deploy.Steps;

/// <summary>One line per event in revisions.log: time, event (deploy/rollback/failed), release, commit, who.</summary>
public sealed record RecordRevision(ReleaseLayout Layout, string Event, string ReleaseName, string Who) : IRemoteStep
{
    public string Name => "revision";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => [];

    public void Render(ScriptWriter script) => script
        .Set("revision_event", Event).Set("release_name", ReleaseName).Set("release", Layout.Release(ReleaseName))
        .Set("revision_by", Who).Set("revisions_log", Layout.RevisionsLog)
        .Include("revision.sh");
}
