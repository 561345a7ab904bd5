using Build.Ci;
using Build.Configuration;
using Build.Secrets;

namespace Build;

/// <summary>Everything resolved from the command line before any task runs.</summary>
public sealed record BuildSettings(
    string RepositoryRoot,
    string ConfigPath,
    EnvironmentsFile Config,
    EnvironmentSettings TargetEnvironment,
    SecretStore Secrets,
    SecretMasker Masker,
    ICiReporter Ci,
    Func<string, string?> Variables,
    bool DryRun = false,
    string? WorkingDirectory = null);
