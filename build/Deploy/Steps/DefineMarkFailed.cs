namespace Build.Deploy.Steps;

/// <summary>Defines <c>mark_failed &lt;release&gt; &lt;reason&gt;</c> (Scripts/mark-failed-function.sh): a marker with
/// the reason in the release folder, and a line in revisions.log.</summary>
public sealed record DefineMarkFailed(ReleaseLayout Layout, string Who) : IRemoteStep
{
    public string Name => "mark-failed-function";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => ["mark_failed"];

    public void Render(ScriptWriter script) => script
        .Set("failed_releases_dir", Layout.Releases).Set("failed_marker", ReleaseLayout.FailedMarker)
        .Set("failed_revisions_log", Layout.RevisionsLog).Set("failed_by", Who)
        .Include("mark-failed-function.sh");
}
