using DbUp;
using DbUp.Engine;

namespace Build.Migrations.Database;

/// <summary>
/// DbUp's own UpgradeEngine over our seams: the files as <see cref="MigrationScriptProvider"/>, the Supabase CLI
/// history as <see cref="SupabaseMigrationJournal"/>, variable substitution off (it would break <c>$BODY$</c>), one
/// transaction.
/// <see cref="MigrationRunner"/> is what the targets use (it pipelines each file with its history row, which DbUp's
/// statement-by-statement execution cannot); this engine exists for DbUp users and as the benchmark's baseline.
/// </summary>
public static class DbUpEngines
{
    public static UpgradeEngine Create(
        string connectionString,
        IEnumerable<MigrationFile> files,
        string appliedBy = "DbUp"
    ) =>
        DeployChanges
            .To.PostgresqlDatabase(connectionString)
            .WithScripts(new MigrationScriptProvider(files))
            .JournalTo((connectionManager, _) => new SupabaseMigrationJournal(connectionManager, appliedBy))
            .WithVariablesDisabled()
            .WithTransaction()
            .LogToNowhere()
            .Build();
}
