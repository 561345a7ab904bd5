using System.Diagnostics;
using Build.Migrations;
using Build.Migrations.Database;

// Usage: MigrationsBench ours|dbup <migrations-dir> <database-url>
// "ours" is MigrationRunner (what ApplyMigrations runs); "dbup" is DbUp's UpgradeEngine with our journal.
if (args.Length != 3 || args[0] is not ("ours" or "dbup"))
{
    Console.Error.WriteLine("usage: MigrationsBench ours|dbup <migrations-dir> <database-url>");
    return 2;
}

var contents = MigrationDirectory.Load(args[1]);
var connectionString = DatabaseUrl.ToConnectionString(args[2]);
var watch = Stopwatch.StartNew();
if (args[0] == "ours")
{
    var verbose = Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1";
    var result = await new MigrationRunner(new MigrationRunnerOptions { StatementTimeout = "0" }, m => { if (verbose) Console.Error.WriteLine($"{watch.ElapsedMilliseconds,6} ms {m}"); }).ApplyAsync(connectionString, contents);
    Console.Error.WriteLine($"ours: {result.Applied.Count} file(s) applied in {watch.Elapsed.TotalSeconds:0.000} s (inside the process)");
}
else
{
    var result = DbUpEngines.Create(connectionString, contents.Files).PerformUpgrade();
    if (!result.Successful) { Console.Error.WriteLine(result.Error); return 1; }
    Console.Error.WriteLine($"dbup: {result.Scripts.Count()} file(s) applied in {watch.Elapsed.TotalSeconds:0.000} s (inside the process)");
}
return 0;
