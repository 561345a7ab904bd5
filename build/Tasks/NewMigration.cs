using Build.Migrations;

namespace Build.Tasks;

[TaskName(nameof(NewMigration))]
[TaskDescription(
    "Creates supabase/migrations/<UTC yyyyMMddHHmmss>_<name>.sql for --name=snake_case_name, later than every " +
    "existing migration"
)]
[TaskArgument<string>("name", "The new migration's name, snake_case (required)", Placeholder = "snake_case_name")]
public sealed class NewMigration : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var directory = context.InRepository(context.Config.Project.MigrationsPath);
        var path = MigrationScaffolder.Create(directory, context.Arg("name"), DateTime.UtcNow);
        var relative = Path.GetRelativePath(context.RepositoryRoot, path).Replace('\\', '/');
        var rollback = Path.Combine(context.Config.Project.RollbacksPath, Path.GetFileName(path)).Replace('\\', '/');
        context.Information("Created {0}", relative);
        context.Information(
            "Write its down script in {0} (RollbackMigrations refuses to run without it), then: ./build.sh " +
            "--target=LintMigrations",
            rollback
        );
    }
}
