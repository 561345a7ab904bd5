using Build.Deploy.Steps;

namespace Build.Deploy;

/// <summary>A phase on a host failed. The message names the host, the phase and the step.</summary>
public sealed class DeployException(
    string host,
    string phase,
    string? step,
    string reason,
    Exception? inner = null,
    int exitCode = -1
) : Exception($"{host}: {phase}{(step is null || step == phase ? "" : $" (step {step})")} failed: {reason}", inner)
{
    public string Host { get; } = host;
    public string Phase { get; } = phase;
    public string? Step { get; } = step;
    public string Reason { get; } = reason;
    /// <summary>Another deploy holds the host's lock (and did not let go in time).</summary>
    public bool LockHeld => exitCode == AcquireLock.HeldExitCode;
}
