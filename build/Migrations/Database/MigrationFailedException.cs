using Npgsql;

namespace Build.Migrations.Database;

/// <summary>A migration (or seed, or down script) failed on the server. Nothing of its transaction was kept.</summary>
public sealed class MigrationFailedException : Exception, IFileLocated
{
    /// <param name="outcome">What state the failure left behind (rolled back, or partly applied), appended to the
    /// message.</param>
    /// <param name="error">The server's error, or what broke the session (its innermost PostgreSQL error is
    /// reported).</param>
    public MigrationFailedException(
        string file,
        int line,
        int column,
        string statement,
        Exception error,
        string outcome
    )
        : base(Describe(MigrationHistoryCheck.Relative(file), line, column, statement, error, outcome), error)
    {
        File = file;
        Line = line;
        Column = column;
        Statement = statement;
        var server = DatabaseErrors.Innermost(error);
        SqlState = server?.SqlState ?? DatabaseErrors.ConnectionFailure;
        ServerMessage = server?.MessageText ?? DatabaseErrors.Describe(error);
        MissingExtension = server is null ? null : MissingExtensionName(server);
    }

    /// <summary>Full path of the file (migration, seed or down script).</summary>
    public string File { get; }
    public int Line { get; }
    public int Column { get; }
    string? IFileLocated.File => File;
    int? IFileLocated.Line => Line;
    int? IFileLocated.Column => Column;
    public string Statement { get; }
    public string SqlState { get; }
    public string ServerMessage { get; }

    /// <summary>The extension this server lacks (for example <c>vector</c>) when that is the failure, else
    /// null.</summary>
    public string? MissingExtension { get; }

    /// <summary>PostgreSQL 15+: 0A000 'extension "x" is not available'; older: 58P01 'could not open extension control
    /// file ".../x.control"'.</summary>
    public static string? MissingExtensionName(PostgresException error)
    {
        var text = error.MessageText;
        var available = System.Text.RegularExpressions.Regex.Match(text, "^extension \"([^\"]+)\" is not available");
        if (available.Success)
            return available.Groups[1].Value;
        var control = System.Text.RegularExpressions.Regex.Match(
            text,
            "could not open extension control file \".*/([^/\"]+)\\.control\""
        );
        return control.Success ? control.Groups[1].Value : null;
    }

    private static string Describe(string file, int line, int column, string statement, Exception cause, string outcome)
    {
        var error = DatabaseErrors.Innermost(cause);
        if (error is null)
            return $"{file}:{line}:{column}: {DatabaseErrors.Describe(cause)}"
                + (outcome.Length > 0 ? "\n" + outcome : "");
        var missing = MissingExtensionName(error);
        var head = missing is not null
            ? $"{file}:{line}:{column}: extension \"{missing}\" is not installed on this PostgreSQL server (the " +
                "migration itself is not broken: "
                + "use a server that has it, for example Supabase or SCRATCH_DATABASE_URL pointing at one with the " +
                "extension)"
            : $"{file}:{line}:{column}: {error.SqlState}: {error.MessageText}";
        var detail = string.Join(
            "",
            new[]
            {
                error.Detail is { Length: > 0 } d ? $"\n  detail: {d}" : "",
                error.Hint is { Length: > 0 } h ? $"\n  hint: {h}" : "",
                error.Where is { Length: > 0 } w ? $"\n  where: {w}" : "",
            }
        );
        var shown = statement.Length > 600 ? statement[..600] + " ..." : statement;
        return $"{head}{detail}\n  statement:\n    {shown.Replace("\n", "\n    ")}"
            + (outcome.Length > 0 ? "\n" + outcome : "");
    }
}
