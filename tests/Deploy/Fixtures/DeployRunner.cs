using Build.Deploy;
using Build.Packaging;

namespace Build.Tests.Deploy;

/// <summary>
/// Runs the deploy services against one <see cref="TestHost"/> the way the deploy targets do: one connection per call,
/// closed after. Every progress line goes to the test's output and is kept for the test to read.
/// </summary>
internal sealed class DeployRunner(string who, TimeProvider? clock = null)
{
    private readonly List<string> _progress = [];

    /// <summary>Who deploys (the lock and revisions.log record it).</summary>
    public string Who => who;

    /// <summary>Every progress line so far, in order.</summary>
    public IReadOnlyList<string> Progress
    {
        get { lock (_progress) return [.. _progress]; }
    }

    public void Report(string line)
    {
        lock (_progress) _progress.Add(line);
        TestContext.Out.WriteLine(line);
    }

    /// <summary>Deploys <paramref name="artifact"/> over <paramref name="remote"/> (default: a new connection to
    /// <paramref name="host"/>), which is disposed after.</summary>
    public async Task<DeployResult> DeployAsync(
        TestHost host,
        ReleaseArtifact artifact,
        IRemoteHost? remote = null,
        bool retireOldColor = true
    )
    {
        await using var connection = remote ?? host.Connect();
        return await new DeployService([host.AsDeployHost(connection)], Report, who, clock).DeployAsync(
            artifact,
            retireOldColor: retireOldColor
        );
    }

    public async Task<IReadOnlyList<HostRelease>> RollbackAsync(TestHost host, string? to = null)
    {
        await using var connection = host.Connect();
        return await new RollbackService([host.AsDeployHost(connection)], Report, who).RollbackAsync(to);
    }
}
