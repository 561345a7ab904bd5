namespace Build.Tasks;

/// <summary>
/// Everything that can be checked before anything changes, in the order that fails fastest: configuration and
/// secrets (no connection), then the migrations' lint, then their history and a replay on a throwaway PostgreSQL, then
/// the database's schema against the migrations (drift) where the database is set.
/// </summary>
[TaskName(nameof(Validate))]
[TaskDescription(
    "The default target: ValidateEnvironment (configuration, secrets, shared databases), LintMigrations, then " +
    "CheckMigrations (history and a replay of every migration on a throwaway PostgreSQL), then DetectSchemaDrift " +
    "where --env's database is set (--skip-drift to skip)"
)]
[IsDependentOn(typeof(ValidateEnvironment))]
[IsDependentOn(typeof(LintMigrations))]
[IsDependentOn(typeof(CheckMigrations))]
[IsDependentOn(typeof(DetectSchemaDrift))]
public sealed class Validate : FrostingTask<BuildContext>;
