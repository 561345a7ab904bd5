using System.Text;
using System.Text.RegularExpressions;

namespace Build.Migrations;

/// <summary>A migration file: <c>&lt;Version&gt;_&lt;Name&gt;.sql</c>, its full path and its exact text.</summary>
public sealed record MigrationFile(string Version, string Name, string Path, string Content)
{
    /// <summary>The file name as the CLI prints it, e.g. 20240101000000_create_tenants.sql.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The statements exactly as the Supabase CLI stores them in schema_migrations.statements.</summary>
    public IReadOnlyList<string> Statements => Sql.SqlStatementSplitter.Split(Content);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a file as strict UTF-8. Invalid bytes (a Latin-1 file) would otherwise become U+FFFD in the database, and a
    /// byte order mark is sent to PostgreSQL as part of the first word (a syntax error no one can see; the CLI keeps it
    /// too): both are refused, naming line and byte offset.
    /// </summary>
    /// <exception cref="MigrationEncodingException">The file is not plain UTF-8.</exception>
    public static string ReadContent(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
            throw new MigrationEncodingException(path, 1, 0,
                $"starts with a UTF-8 byte order mark (bytes EF BB BF at byte offset 0), which PostgreSQL reads as part of the first word " +
                $"(\"syntax error at or near ...\" with an invisible character). Remove it: sed -i '1s/^\\xEF\\xBB\\xBF//' {MigrationFileNames.Quote(path)}");
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException e)
        {
            var offset = e.Index >= 0 ? e.Index : FirstInvalidOffset(bytes);
            var line = 1 + bytes.AsSpan(0, Math.Min(offset, bytes.Length)).Count((byte)'\n');
            var bad = string.Join(" ", bytes.Skip(offset).Take(Math.Min(4, bytes.Length - offset)).Select(b => $"0x{b:X2}"));
            throw new MigrationEncodingException(path, line, offset,
                $"is not valid UTF-8: byte offset {offset} (line {line}) starts an invalid sequence ({bad}); it would be stored as U+FFFD. " +
                $"Save the file as UTF-8, for example: iconv -f LATIN1 -t UTF-8 {MigrationFileNames.Quote(path)} -o fixed.sql && mv fixed.sql {MigrationFileNames.Quote(path)}");
        }
    }

    private static int FirstInvalidOffset(byte[] bytes)
    {
        var decoder = StrictUtf8.GetDecoder();
        var chars = new char[4];
        for (var i = 0; i < bytes.Length; i++)
            try { decoder.GetChars(bytes, i, 1, chars, 0, flush: false); }
            catch (DecoderFallbackException) { return i; }
        return bytes.Length;
    }
}

/// <summary>Shell quoting for file names in suggested commands.</summary>
internal static class MigrationFileNames
{
    public static string Quote(string path)
    {
        var shown = Database.MigrationHistoryCheck.Relative(path);
        return shown.All(c => char.IsLetterOrDigit(c) || c is '/' or '.' or '_' or '-') ? shown : "'" + shown.Replace("'", "'\\''") + "'";
    }
}

/// <summary>A migration, seed or down script that is not plain UTF-8, with where the first bad byte is.</summary>
public sealed class MigrationEncodingException(string file, int line, int byteOffset, string problem)
    : Exception($"{Database.MigrationHistoryCheck.Relative(file)}:{line}: {problem}"), IFileLocated
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public int ByteOffset { get; } = byteOffset;
    /// <summary>The message without the file:line prefix.</summary>
    public string Problem { get; } = problem;
    string? IFileLocated.File => File;
    int? IFileLocated.Line => Line;
    int? IFileLocated.Column => null;
}

public enum MigrationProblemSeverity { Error, Warning }

/// <summary>Something wrong with the migrations folder; <see cref="File"/> is the file name it concerns.</summary>
public sealed record MigrationFileProblem(string File, MigrationProblemSeverity Severity, string Message, int? Line = null)
{
    public bool IsError => Severity == MigrationProblemSeverity.Error;
    public override string ToString() => $"{File}{(Line is { } l ? $":{l}" : "")}: {(IsError ? "error" : "warning")}: {Message}";
}

/// <summary>The result of reading a migrations folder: the valid files in the CLI's order, and what is wrong.</summary>
public sealed record MigrationDirectoryContents(string Directory, IReadOnlyList<MigrationFile> Files, IReadOnlyList<MigrationFileProblem> Problems)
{
    public bool HasErrors => Problems.Any(p => p.IsError);
}

/// <summary>
/// Reads <c>supabase/migrations</c> the way the Supabase CLI does: a file is a migration when its name matches
/// <c>^([0-9]+)_(.*)\.sql$</c> (version = the leading digits, name = the rest up to .sql); files apply in file name
/// order (ordinal), which for 14-digit timestamps is version order. Where the CLI silently skips a file, we report
/// an error instead, because a skipped file means environments silently drift.
/// </summary>
public static partial class MigrationDirectory
{
    /// <summary>The CLI's own file name pattern (pkg/migration/file.go).</summary>
    [GeneratedRegex(@"^([0-9]+)_(.*)\.sql$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"([0-9]{14})_init\.sql")] // unanchored, as in the CLI
    private static partial Regex LegacyInitPattern();

    public const int TimestampLength = 14;

    /// <summary>Version and name of a migration file name, or null when the CLI would skip it.</summary>
    public static (string Version, string Name)? ParseFileName(string fileName)
    {
        var match = FileNamePattern().Match(fileName);
        return match.Success && !fileName.Contains('\n') ? (match.Groups[1].Value, match.Groups[2].Value) : null;
    }

    /// <summary>
    /// Loads every migration in <paramref name="directory"/> (a missing folder is an empty set). Hidden files
    /// (.gitkeep) and sub-folders are ignored; every other file must be <c>&lt;digits&gt;_&lt;name&gt;.sql</c>.
    /// </summary>
    public static MigrationDirectoryContents Load(string directory)
    {
        var files = new List<MigrationFile>();
        var problems = new List<MigrationFileProblem>();
        if (!System.IO.Directory.Exists(directory)) return new(directory, files, problems);

        // The CLI only skips a legacy init file when it is the folder's very first entry (sub-folders and hidden files count).
        var firstEntry = System.IO.Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).FirstOrDefault();
        var names = System.IO.Directory.GetFiles(directory).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        foreach (var fileName in names)
        {
            var parsed = ParseFileName(fileName);
            if (parsed is not { } p)
            {
                problems.Add(new(fileName, MigrationProblemSeverity.Error, fileName.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)
                    ? "file name must be <timestamp>_<name>.sql (for example 20240101120000_create_tenants.sql); the Supabase CLI skips this file silently. Rename it with a version, or create migrations with: ./build.sh --target=NewMigration --name=<snake_case_name>"
                    : "not a migration: only <timestamp>_<name>.sql files belong in the migrations folder (the Supabase CLI skips it silently). Move it elsewhere."));
                continue;
            }
            if (fileName == firstEntry && IsLegacyInit(fileName))
            {
                problems.Add(new(fileName, MigrationProblemSeverity.Error,
                    "the Supabase CLI skips a first migration named <timestamp>_init.sql older than 20211209000000 (legacy init schema), so it and we would disagree; rename it, e.g. to " + p.Version + "_initial_schema.sql"));
                continue;
            }
            if (p.Version.Length != TimestampLength)
                problems.Add(new(fileName, MigrationProblemSeverity.Warning,
                    $"version '{p.Version}' is not a {TimestampLength}-digit UTC timestamp (yyyyMMddHHmmss, what `supabase migration new` writes); versions of different lengths sort by file name, not by number"));
            string content;
            try { content = MigrationFile.ReadContent(Path.Combine(directory, fileName)); }
            catch (MigrationEncodingException e)
            {
                problems.Add(new(fileName, MigrationProblemSeverity.Error, e.Problem, e.Line));
                continue;
            }
            files.Add(new MigrationFile(p.Version, p.Name, Path.Combine(directory, fileName), content));
        }

        foreach (var group in files.GroupBy(f => f.Version).Where(g => g.Count() > 1))
        {
            var clash = string.Join(", ", group.Select(f => f.FileName));
            foreach (var file in group)
                problems.Add(new(file.FileName, MigrationProblemSeverity.Error,
                    $"duplicate version {group.Key} ({clash}): the history table keys on the version, so only one of them can ever be applied. Give one of them a new, later timestamp."));
        }
        return new(directory, files, problems);
    }

    private static bool IsLegacyInit(string fileName)
    {
        var match = LegacyInitPattern().Match(fileName);
        return match.Success && ulong.Parse(match.Groups[1].Value) < 20211209000000UL;
    }
}
