using Build.Host;

namespace Build.Tasks;

/// <summary>
/// Everything that can be checked before anything changes, in the order that fails fastest: configuration and
/// secrets (no connection), then the migrations' lint, then their history and a replay on a throwaway PostgreSQL.
/// </summary>
[TaskName(nameof(Validate))]
[TaskDescription("The default target: ValidateEnvironment (configuration, secrets, shared databases), LintMigrations, then CheckMigrations (history and a replay of every migration on a throwaway PostgreSQL)")]
[IsDependentOn(typeof(ValidateEnvironment))]
[IsDependentOn(typeof(LintMigrations))]
[IsDependentOn(typeof(CheckMigrations))]
public sealed class Validate : FrostingTask<BuildContext>;
