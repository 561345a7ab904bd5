using System.Diagnostics;
using Build.Migrations.Platform;
using Build.Migrations.Scratch;
using Build.Migrations.Sql;
using Npgsql;

namespace Build.Migrations.Database;

/// <summary>
/// The checks that run before anything changes (Validate, CheckMigrations, and again inside ApplyMigrations):
/// file names, the target database's history against the local files, and a replay of every migration plus the seed
/// on a throwaway PostgreSQL with the Supabase platform layer.
/// </summary>
public sealed class MigrationChecker(Action<string>? progress = null)
{
    private readonly Action<string> _progress = progress ?? (_ => { });

    /// <summary>File-name problems (bad names, duplicate versions) as check findings.</summary>
    public static IReadOnlyList<MigrationProblem> FileProblems(MigrationDirectoryContents contents) =>
        contents.Problems.Select(p => new MigrationProblem(p.Line is null ? "file-name" : "file-encoding", p.Message, Path.Combine(contents.Directory, p.File), p.Line, null, p.Severity)).ToList();

    /// <summary>
    /// All checks: file names; the history of <paramref name="databaseConnectionString"/> when given (null: skip, for
    /// example when the environment has no database yet); the replay on <paramref name="scratch"/> when given.
    /// </summary>
    public async Task<MigrationCheckReport> CheckAsync(
        MigrationDirectoryContents contents, string? databaseConnectionString, bool allowOutOfOrder, string repairDatabaseUrl,
        ScratchPostgres? scratch, SeedFile? seed, CancellationToken cancellationToken = default)
    {
        var problems = new List<MigrationProblem>(FileProblems(contents));
        var checkedWhat = new List<string> { $"{contents.Files.Count} file name(s) in {MigrationHistoryCheck.Relative(contents.Directory)}" };
        if (databaseConnectionString is not null)
        {
            problems.AddRange(await CheckHistoryAsync(databaseConnectionString, contents, allowOutOfOrder, repairDatabaseUrl, null, cancellationToken));
            checkedWhat.Add($"history of {DatabaseUrl.Describe(databaseConnectionString)}");
        }
        if (scratch is not null)
        {
            problems.AddRange(await ReplayAsync(scratch, contents, seed, cancellationToken));
            checkedWhat.Add($"replay from scratch on {scratch.Description}");
        }
        return new MigrationCheckReport(problems, checkedWhat);
    }

    /// <summary>Compares the local files with the history of the database at <paramref name="connectionString"/>.</summary>
    public async Task<IReadOnlyList<MigrationProblem>> CheckHistoryAsync(
        string connectionString, MigrationDirectoryContents contents, bool allowOutOfOrder, string repairDatabaseUrl,
        DateTime? now = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await MigrationRunner.OpenAsync(connectionString, cancellationToken);
        IReadOnlyList<AppliedMigration> history;
        try { history = await SupabaseMigrationJournal.ReadAsync(connection, cancellationToken: cancellationToken); }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException($"Reading the history of {DatabaseUrl.Describe(connectionString)} failed: {DatabaseErrors.Describe(e)}", e);
        }
        var problems = MigrationHistoryCheck.Check(contents.Files, history, allowOutOfOrder, repairDatabaseUrl, now ?? DateTime.UtcNow);
        var pending = MigrationRunner.Pending(contents.Files, history).Count;
        _progress($"{DatabaseUrl.Describe(connectionString)}: {history.Count} applied, {pending} pending, {problems.Count} problem(s)");
        return problems;
    }

    /// <summary>
    /// Applies every migration from scratch, then the seed, on a fresh database of <paramref name="server"/> after the
    /// Supabase platform layer. A failure names file, line, column and statement; an extension the server lacks is a
    /// warning that says which files could not be verified, not an error in the migration.
    /// </summary>
    /// <param name="seedFailureBlocks">False for an environment that does not seed (<c>seed: false</c>, no --seed): a
    /// failure in the seed alone is then a warning, so it never blocks that environment's migrations.</param>
    public async Task<IReadOnlyList<MigrationProblem>> ReplayAsync(
        ScratchPostgres server, MigrationDirectoryContents contents, SeedFile? seed, CancellationToken cancellationToken = default,
        bool seedFailureBlocks = true)
    {
        var problems = await ReplayCoreAsync(server, contents, seed, cancellationToken);
        if (seedFailureBlocks || seed is null) return problems;
        return problems.Select(p => p.IsError && p.File == seed.FullPath
            ? p with
            {
                Code = "seed-" + p.Code, Severity = MigrationProblemSeverity.Warning,
                Message = p.Message + "\n  This environment does not seed (seed: false), so the seed does not block its migrations; fix it before it breaks local and dev.",
            }
            : p).ToList();
    }

    private async Task<IReadOnlyList<MigrationProblem>> ReplayCoreAsync(
        ScratchPostgres server, MigrationDirectoryContents contents, SeedFile? seed, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        // On the warm server a replay starts from the template of the files an earlier replay applied (hashes checked).
        var template = server.KeepsTemplates ? new ReplayTemplate(server, _progress) : null;
        var seedFile = seed is not null && File.Exists(seed.FullPath) ? seed : null;
        // Without a seed, a template holding every file leaves nothing to run: no clone is made (database null).
        var (database, reused) = template is null
            ? (await server.CreateDatabaseAsync("replay", cancellationToken), 0)
            : await template.CloneAsync(contents.Files, cancellationToken, databaseWhenComplete: seedFile is not null);
        ExtensionStandInRewriter? standIns = null;
        try
        {
            if (reused == 0) await SupabasePlatform.InstallAsync(database!, cancellationToken);
            var available = await AvailableExtensionsAsync(database ?? server.AdminConnectionString, cancellationToken);
            var rewriter = new ExtensionStandInRewriter(available);
            standIns = rewriter;
            // The files in the template ran through a rewriter like this one: run them through it again (nothing is
            // sent) so that it knows which extensions stand in, and says so, as a full replay would.
            foreach (var file in contents.Files.Take(reused))
                foreach (var statement in SqlStatementSplitter.SplitWithPositions(file.Content))
                    rewriter.Rewrite(file, statement);
            if (database is null)
            {
                _progress($"Replayed nothing: the template on {server.Description} already holds all {reused} migration(s), " +
                          $"checked by hash, and there is no seed, in {watch.Elapsed.TotalSeconds:0.0} s");
                return StandInProblems(server, standIns);
            }
            MigrationRunner Runner(SeedFile? withSeed) => new(new MigrationRunnerOptions
            {
                AllowOutOfOrder = true, // a fresh database has no history to be out of order with
                StatementTimeout = "0", LockTimeout = "0",
                Seed = withSeed,
                AppliedBy = "CheckMigrations replay",
                Rewrite = rewriter.Rewrite,
            });
            var valid = contents with { Problems = [] }; // file-name errors are reported on their own
            if (template is null) await Runner(seedFile).ApplyAsync(database, valid, cancellationToken);
            else
            {
                // The template never holds the seed: the migrations first, saved as the next template, then the seed.
                var applied = await Runner(null).ApplyAsync(database, valid, cancellationToken);
                if (applied.Applied.Count > 0 || reused == 0) await template.SaveAsync(database, cancellationToken);
                if (seedFile is not null) await Runner(seedFile).ApplyAsync(database, valid, cancellationToken);
            }
            var seeded = seedFile is not null ? " and the seed" : "";
            _progress(reused > 0
                ? $"Replayed the {contents.Files.Count - reused} migration(s) after the template of {reused}{seeded} on {server.Description} in {watch.Elapsed.TotalSeconds:0.0} s"
                : $"Replayed {contents.Files.Count} migration(s){seeded} from scratch on {server.Description} in {watch.Elapsed.TotalSeconds:0.0} s");
            return StandInProblems(server, standIns);
        }
        catch (MigrationCheckException e)
        {
            // Refused before anything ran (transaction control in a file, bad bytes in the seed): the same findings.
            return e.Problems;
        }
        catch (MigrationFailedException e) when (e.MissingExtension is not null)
        {
            return [.. StandInProblems(server, standIns), MissingExtensionProblem(server, contents, e)];
        }
        catch (MigrationFailedException e)
        {
            return [.. StandInProblems(server, standIns), new MigrationProblem("replay-failed",
                $"applying every migration from scratch on a clean PostgreSQL with the Supabase platform layer failed: {e.SqlState}: {e.ServerMessage}\n" +
                $"  statement:\n    {(e.Statement.Length > 600 ? e.Statement[..600] + " ..." : e.Statement).Replace("\n", "\n    ")}",
                e.File, e.Line, e.Column)];
        }
        finally
        {
            try { if (database is not null) await server.DropDatabaseAsync(database, CancellationToken.None); }
            catch (NpgsqlException) { /* the server is thrown away anyway */ }
        }
    }

    private static async Task<IReadOnlySet<string>> AvailableExtensionsAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT name FROM pg_available_extensions", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>One warning per extension the replay stood in for, at its CREATE EXTENSION, saying exactly what stood in.</summary>
    private IReadOnlyList<MigrationProblem> StandInProblems(ScratchPostgres server, ExtensionStandInRewriter? standIns)
    {
        if (standIns is null || standIns.Uses.Count == 0) return [];
        var problems = new List<MigrationProblem>();
        foreach (var group in standIns.Uses.GroupBy(u => u.Extension))
        {
            var first = group.First();
            var notes = group.Skip(1).Select(u => $"\n  {MigrationHistoryCheck.Relative(u.File.Path)}:{u.Line}: {u.What}");
            problems.Add(new MigrationProblem("extension-stand-in",
                $"extension \"{group.Key}\" is not available on the scratch PostgreSQL ({server.Description}); the replay used a stand-in: {first.What}. " +
                $"What uses it replayed, but its behaviour was not verified (set {ScratchPostgres.UrlVariable} to a server with \"{group.Key}\" to verify it)." + string.Concat(notes),
                first.File.Path, first.Line, null, MigrationProblemSeverity.Warning));
        }
        _progress($"Stood in for {standIns.Uses.Select(u => u.Extension).Distinct().Count()} extension(s) missing on the scratch server: " +
                  string.Join(", ", standIns.Uses.Select(u => u.Extension).Distinct()));
        return problems;
    }

    private static MigrationProblem MissingExtensionProblem(ScratchPostgres server, MigrationDirectoryContents contents, MigrationFailedException e)
    {
        var unverified = contents.Files.SkipWhile(f => !e.File.EndsWith(f.FileName, StringComparison.Ordinal)).Select(f => f.FileName).ToList();
        return new MigrationProblem("missing-extension",
                $"the scratch PostgreSQL ({server.Description}) does not have the extension \"{e.MissingExtension}\", so the replay stopped here; " +
                $"this is not an error in the migration. {unverified.Count} file(s) from here on were not verified. " +
                $"Set {ScratchPostgres.UrlVariable} to a server with \"{e.MissingExtension}\" (for example a local Supabase) to verify them.",
                e.File, e.Line, e.Column, MigrationProblemSeverity.Warning);
    }
}
