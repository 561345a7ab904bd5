using System.Diagnostics;
using Build.Processes;
using System.Text.RegularExpressions;
using Npgsql;

namespace Build.Backup;

public sealed record BackupRequest(string ConnectionString, string Directory, string Environment, int KeepDays, string? PgDumpPath = null);

public sealed record BackupResult(string Path, long Bytes, int ArchiveEntries, TimeSpan Duration, IReadOnlyList<string> Pruned);

/// <summary>A backup could not be made; the message names the step and never holds the password.</summary>
public sealed class BackupException(string message) : Exception(message);

/// <summary>
/// Dumps a database with pg_dump (custom format) before anything changes it. Nothing half-written ever looks like a
/// backup: the dump goes to a <c>.partial</c> file, is read back with <c>pg_restore --list</c>, and only then takes its
/// final name. Connection details travel in PG* environment variables, never in the argument list. Backups older than
/// the retention are pruned, never the newest.
/// </summary>
public sealed partial class DatabaseBackup(Action<string> progress, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    public const string Extension = ".dump";

    [GeneratedRegex(@"\(PostgreSQL\) (\d+)")] private static partial Regex ToolVersion();

    public async Task<BackupResult> CreateAsync(BackupRequest request, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        var pgDump = request.PgDumpPath ?? FindTool("pg_dump")
            ?? throw new BackupException("pg_dump was not found on PATH nor in /usr/lib/postgresql/*/bin: install postgresql-client (Debian) or set PG_DUMP=/path/to/pg_dump.");
        var pgRestore = Path.Combine(Path.GetDirectoryName(pgDump)!, "pg_restore");
        if (!File.Exists(pgRestore)) pgRestore = FindTool("pg_restore") ?? throw new BackupException("pg_restore was not found next to pg_dump nor on PATH.");

        var connection = new NpgsqlConnectionStringBuilder(request.ConnectionString);
        var serverMajor = await ServerMajorVersionAsync(request.ConnectionString, cancellationToken);
        var toolMajor = await ToolMajorVersionAsync(pgDump, cancellationToken);
        if (toolMajor < serverMajor)
            throw new BackupException($"{pgDump} is version {toolMajor}, the server runs PostgreSQL {serverMajor}: pg_dump cannot dump a newer server. " +
                                      $"Install postgresql-client-{serverMajor} or set PG_DUMP to its pg_dump.");

        Directory.CreateDirectory(request.Directory);
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss");
        var final = Path.Combine(request.Directory, $"{request.Environment}-{stamp}{Extension}");
        var partial = final + ".partial";
        progress($"Dumping {connection.Host}:{connection.Port}/{connection.Database} (PostgreSQL {serverMajor}) with pg_dump {toolMajor} to {final}");
        try
        {
            var dump = await RunAsync(pgDump, ["--format=custom", "--no-owner", "--no-privileges", "--file", partial], connection, cancellationToken,
                whileRunning: () => File.Exists(partial) ? $"  {new FileInfo(partial).Length / 1048576.0:0.0} MB written" : null, report: progress);
            if (dump.ExitCode != 0) throw new BackupException($"pg_dump failed (exit {dump.ExitCode}): {LastLines(dump.Error)}");

            var list = await RunAsync(pgRestore, ["--list", partial], null, cancellationToken);
            if (list.ExitCode != 0) throw new BackupException($"The dump does not read back (pg_restore --list exit {list.ExitCode}): {LastLines(list.Error)}");
            var entries = list.Output.Split('\n').Count(l => l.Length > 0 && !l.StartsWith(';'));

            File.Move(partial, final);
            var pruned = Prune(request.Directory, request.Environment, request.KeepDays, keep: final);
            var bytes = new FileInfo(final).Length;
            var elapsed = _time.GetElapsedTime(started);
            progress($"Backup {Path.GetFileName(final)}: {bytes / 1048576.0:0.0} MB, {entries} archive entries, {elapsed.TotalSeconds:0.0} s" +
                     (pruned.Count > 0 ? $"; pruned {pruned.Count} older than {request.KeepDays} day(s)" : ""));
            return new BackupResult(final, bytes, entries, elapsed, pruned);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    /// <summary>Deletes this environment's backups older than <paramref name="keepDays"/>, never <paramref name="keep"/>.</summary>
    public IReadOnlyList<string> Prune(string directory, string environment, int keepDays, string keep)
    {
        var cutoff = _time.GetUtcNow().UtcDateTime.AddDays(-keepDays);
        var pruned = new List<string>();
        foreach (var file in new DirectoryInfo(directory).GetFiles($"{environment}-*{Extension}"))
        {
            if (file.FullName == Path.GetFullPath(keep) || file.LastWriteTimeUtc >= cutoff) continue;
            file.Delete();
            pruned.Add(file.Name);
        }
        return pruned;
    }

    private static async Task<int> ServerMajorVersionAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SHOW server_version_num", connection);
            return int.Parse((string)(await command.ExecuteScalarAsync(cancellationToken))!) / 10000;
        }
        catch (NpgsqlException ex)
        {
            throw new BackupException($"Could not connect to the database to back it up: {ex.Message}");
        }
    }

    private static async Task<int> ToolMajorVersionAsync(string tool, CancellationToken cancellationToken)
    {
        var result = await RunAsync(tool, ["--version"], null, cancellationToken);
        return ToolVersion().Match(result.Output) is { Success: true } m ? int.Parse(m.Groups[1].Value)
            : throw new BackupException($"Could not read the version of {tool}: {result.Output.Trim()}");
    }

    /// <summary><paramref name="name"/> from PG_DUMP/PG_RESTORE, else the newest /usr/lib/postgresql/&lt;major&gt;/bin, else PATH.</summary>
    public static string? FindTool(string name)
    {
        var fromEnvironment = System.Environment.GetEnvironmentVariable(name == "pg_dump" ? "PG_DUMP" : "PG_RESTORE");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment)) return fromEnvironment;
        // The newest pg_dump first: it can dump older servers, never newer ones.
        return ExecutableSearch.DebianPostgresBinDirectories().Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists)
               ?? ExecutableSearch.OnPath(name);
    }

    private sealed record ToolResult(int ExitCode, string Output, string Error);

    private static async Task<ToolResult> RunAsync(string tool, IEnumerable<string> arguments, NpgsqlConnectionStringBuilder? connection,
        CancellationToken cancellationToken, Func<string?>? whileRunning = null, Action<string>? report = null)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (connection is not null)
        {
            info.Environment["PGHOST"] = connection.Host;
            info.Environment["PGPORT"] = connection.Port.ToString();
            info.Environment["PGUSER"] = connection.Username;
            info.Environment["PGDATABASE"] = connection.Database;
            info.Environment["PGPASSWORD"] = connection.Password ?? "";
            info.Environment["PGSSLMODE"] = connection.SslMode switch
            {
                SslMode.Disable => "disable", SslMode.Allow => "allow", SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca", SslMode.VerifyFull => "verify-full", _ => "prefer",
            };
            info.Environment["PGAPPNAME"] = "muva-release-suite backup";
        }
        using var process = Process.Start(info) ?? throw new BackupException($"Could not start {tool}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var wait = process.WaitForExitAsync(cancellationToken);
        while (whileRunning is not null && await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)) != wait)
            if (whileRunning() is { } line) report?.Invoke(line);
        await wait;
        return new ToolResult(process.ExitCode, await output, await error);
    }

    private static string LastLines(string text) => string.Join(" / ", text.Trim().Split('\n').TakeLast(3).Select(l => l.Trim()));
}
