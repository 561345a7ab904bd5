using Build.Ci;
using Build.Configuration;
using Build.Gates;
using Build.Secrets;
using Cake.Core;

namespace Build;

/// <summary>
/// What every task gets: the chosen environment, its configuration and secrets, the CI reporter, and
/// (through Cake.Core's <see cref="CakeContextAdapter"/>, which is all Cake.Frosting's <c>FrostingContext</c> adds to)
/// every Cake alias such as <c>Information</c> or <c>Argument</c>. It names nothing of the host (docs/host.md).
/// </summary>
public sealed class BuildContext : CakeContextAdapter
{
    public BuildContext(ICakeContext context, BuildSettings settings) : base(context)
    {
        Settings = settings;
        Gates = EnvironmentGates.For(settings.Config, settings.TargetEnvironment.Name);
    }

    /// <summary>What protects --env, counting the environments that share its database.</summary>
    public EnvironmentGates Gates { get; }

    /// <summary>How a change to --env was approved in this run (set by ConfirmEnvironment), or null.</summary>
    public Approval? Approval { get; set; }

    public BuildSettings Settings { get; }

    /// <summary>The environment chosen with <c>--env</c>.</summary>
    public EnvironmentSettings TargetEnvironment => Settings.TargetEnvironment;
    public string EnvironmentName => Settings.TargetEnvironment.Name;
    public EnvironmentsFile Config => Settings.Config;
    /// <summary>--dryrun: tasks do not run, and nothing else may change anything either (no notification, no
    /// summary).</summary>
    public bool IsDryRun => Settings.DryRun;
    /// <summary>The app this environment builds and deploys: its own <c>app</c> section, else
    /// <c>project.app</c>.</summary>
    public AppSettings App => Settings.TargetEnvironment.App ?? Settings.Config.Project.App;
    public SecretStore Secrets => Settings.Secrets;
    public SecretMasker Masker => Settings.Masker;
    public ICiReporter Ci => Settings.Ci;

    /// <summary>Repository root: every relative path in the configuration is resolved against it.</summary>
    public string RepositoryRoot => Settings.RepositoryRoot;
    public string ConfigPath => Settings.ConfigPath;

    /// <summary>Each task's outcome as it finishes, for the CI summary.</summary>
    public List<TaskOutcome> Outcomes { get; } = [];

    /// <summary>The artifact PackageApp made in this run (DeployVps ships exactly that one).</summary>
    public string? PackagedArtifact { get; set; }

    /// <summary>The commit DeployVps shipped in this run (VerifyDeploy checks for it and rolls back without
    /// it).</summary>
    public string? DeployedCommit { get; set; }

    /// <summary>Migration files ApplyMigrations applied in this run (null: it did not finish or did not run).</summary>
    public IReadOnlyList<string>? MigrationsApplied { get; set; }

    /// <summary>Migration files RollbackMigrations reverted in this run.</summary>
    public IReadOnlyList<string>? MigrationsRolledBack { get; set; }

    /// <summary>The backup BackupDb took in this run (file name and size).</summary>
    public string? BackupTaken { get; set; }

    /// <summary>BackupDb's backup, started early by CheckMigrations beside its replay; BackupDb awaits it.</summary>
    internal Task? BackupInFlight { get; set; }

    /// <summary>The tasks this run executes, in order (set when the run starts).</summary>
    public IReadOnlyList<string> PlannedTasks { get; internal set; } = [];

    /// <summary>What DeployVps put live in this run, host by host (VerifyDeploy finishes or reverts exactly
    /// that).</summary>
    public Build.Deploy.DeployResult? Deployed { get; set; }

    /// <summary>The target of this run (set when the run starts).</summary>
    public string RunTarget { get; internal set; } = "";

    /// <summary>A variable of the environment the suite runs in (not a secret: use <see cref="Secrets"/> for
    /// those).</summary>
    public string? Variable(string name) => Settings.Variables(name) is { Length: > 0 } value ? value : null;

    /// <summary>Another environment's secrets, read exactly as a run for it would (MigrationStatus compares
    /// environments).</summary>
    public SecretStore SecretsFor(EnvironmentSettings environment) =>
        environment.Name == EnvironmentName
            ? Secrets
            : BuildSettingsFactory.OpenSecrets(environment, RepositoryRoot, Settings.Variables, Masker);

    public string InRepository(string relativePath) => Path.GetFullPath(Path.Combine(RepositoryRoot, relativePath));

    /// <summary>The folder the user ran the suite from (or --working): paths they type are relative to it.</summary>
    public string WorkingDirectory => Settings.WorkingDirectory ?? RepositoryRoot;

    /// <summary>A path from the command line (--artifact=, --output=), resolved against
    /// <see cref="WorkingDirectory"/>.</summary>
    public string UserPath(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>A <c>--name=value</c> argument, or <paramref name="fallback"/>.</summary>
    public string? Arg(string name, string? fallback = null) =>
        Arguments.HasArgument(name) ? Arguments.GetArguments(name).LastOrDefault() : fallback;

    /// <summary>A flag: <c>--name</c>, <c>--name=true</c>.</summary>
    public bool Flag(string name) =>
        Arguments.HasArgument(name) && Arguments.GetArguments(name).LastOrDefault() is var v
        && (string.IsNullOrEmpty(v) || bool.TryParse(v, out var b) && b);
}
