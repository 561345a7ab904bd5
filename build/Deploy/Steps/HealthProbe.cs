namespace Build.Deploy.Steps;

/// <summary>
/// Defines <c>health_check &lt;port&gt; &lt;expected commit&gt; [seconds]</c> (Scripts/health.sh): polls 127.0.0.1:port
/// + health path ON THE HOST until it answers HTTP 200 with <c>"status":"ok"</c> and the expected commit, or the
/// deadline passes. Sets <c>health_last</c> to the last answer.
/// </summary>
public sealed record HealthProbe(string HealthPath, int TimeoutSeconds) : IRemoteStep
{
    public string Name => "health-probe";
    public IReadOnlyCollection<string> Needs => [];
    public IReadOnlyCollection<string> Produces => ["health_check", "health_last", "health_timeout"];

    public void Render(ScriptWriter script) => script
        .Set("health_path", HealthPath).Set("health_timeout", TimeoutSeconds)
        .Include("health.sh");
}
