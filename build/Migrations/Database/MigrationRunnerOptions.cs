using System.Diagnostics;
using System.Globalization;
using System.Text;
using Build.Migrations.Sql;
using Npgsql;

namespace Build.Migrations.Database;

public sealed class MigrationRunnerOptions
{
    /// <summary>PostgreSQL durations ("5s", "500ms"): a migration never queues behind a long lock or runs
    /// unbounded.</summary>
    public string LockTimeout { get; init; } = "5s";
    public string StatementTimeout { get; init; } = "60s";
    /// <summary>How long to wait for another run's advisory lock.</summary>
    public TimeSpan AdvisoryLockWait { get; init; } = TimeSpan.FromSeconds(120);
    public string LockName { get; init; } = "supabase_migrations";
    public bool AllowOutOfOrder { get; init; }
    /// <summary>How the repair command in messages names the database (a variable, never the URL).</summary>
    public string RepairDatabaseUrl { get; init; } = "$DATABASE_URL";
    /// <summary>The seed file to apply after the migrations, or null for none.</summary>
    public SeedFile? Seed { get; init; }
    /// <summary>Recorded in schema_migrations.applied_by and shown as the session's application_name.</summary>
    public string AppliedBy { get; init; } = $"{Environment.UserName}@{Environment.MachineName}";
    /// <summary>
    /// The replay's stand-ins: the text to send instead of a statement (null: as written). The history still records
    /// the file's own statements. Null for real environments.
    /// </summary>
    public Func<MigrationFile, SplitStatement, string?>? Rewrite { get; init; }
    /// <summary>Time source for messages that suggest new versions (tests pin it).</summary>
    public Func<DateTime> UtcNow { get; init; } = () => DateTime.UtcNow;

    public static MigrationRunnerOptions From(Build.Configuration.MigrationSettings settings) => new()
    {
        LockTimeout = settings.LockTimeout,
        StatementTimeout = settings.StatementTimeout,
        AdvisoryLockWait = TimeSpan.FromSeconds(settings.AdvisoryLockWaitSeconds),
    };
}
