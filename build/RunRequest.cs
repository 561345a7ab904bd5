namespace Build;

/// <summary>What the command line asks of the suite, in the suite's own terms. Program.cs reads it from the host's
/// command line, so that nothing past the entry point depends on the host (docs/host.md).</summary>
/// <param name="Target">The target to run.</param>
/// <param name="Environment">--env, lower-case (the default when not given).</param>
/// <param name="EnvironmentGiven">--env was on the command line (a target made for another environment refuses
/// it).</param>
/// <param name="ConfigPath">--config as typed, or null for the repository's build/environments.json.</param>
/// <param name="WorkingDirectory">Where paths the user typed are read from: --working, else the caller's
/// folder.</param>
/// <param name="DryRun">--dryrun.</param>
/// <param name="FixedEnvironment">The environment the target is made for ([TargetEnvironment]), or null.</param>
public sealed record RunRequest(
    string Target,
    string Environment,
    bool EnvironmentGiven,
    string? ConfigPath,
    string WorkingDirectory,
    bool DryRun,
    string? FixedEnvironment);
