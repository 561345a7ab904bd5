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

    private static readonly UTF8Encoding StrictUtf8 = new(
        encoderShouldEmitUTF8Identifier: false,
        throwOnInvalidBytes: true
    );

    /// <summary>
    /// Reads a file as strict UTF-8. Invalid bytes (a Latin-1 file) would otherwise become U+FFFD in the database, and
    /// a byte order mark is sent to PostgreSQL as part of the first word (a syntax error no one can see; the CLI keeps
    /// it too): both are refused, naming line and byte offset.
    /// </summary>
    /// <exception cref="MigrationEncodingException">The file is not plain UTF-8.</exception>
    public static string ReadContent(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
            throw new MigrationEncodingException(
                path,
                1,
                0,
                "starts with a UTF-8 byte order mark (bytes EF BB BF at byte offset 0), which PostgreSQL reads as " +
                "part of the first word "
                    + "(\"syntax error at or near ...\" with an invisible character). Remove it: sed -i " +
                    $"'1s/^\\xEF\\xBB\\xBF//' {MigrationFileNames.Quote(path)}"
            );
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var offset = e.Index >= 0 ? e.Index : FirstInvalidOffset(bytes);
            var line = 1 + bytes.AsSpan(0, Math.Min(offset, bytes.Length)).Count((byte)'\n');
            var bad = string.Join(
                " ",
                bytes.Skip(offset).Take(Math.Min(4, bytes.Length - offset)).Select(b => $"0x{b:X2}")
            );
            throw new MigrationEncodingException(
                path,
                line,
                offset,
                $"is not valid UTF-8: byte offset {offset} (line {line}) starts an invalid sequence ({bad}); it " +
                "would be stored as U+FFFD. "
                    + "Save the file as UTF-8, for example: iconv -f LATIN1 -t UTF-8 " +
                    $"{MigrationFileNames.Quote(path)} -o fixed.sql && mv fixed.sql {MigrationFileNames.Quote(path)}"
            );
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
        return shown.All(c => char.IsLetterOrDigit(c) || c is '/' or '.' or '_' or '-')
            ? shown
            : "'" + shown.Replace("'", "'\\''") + "'";
    }
}
