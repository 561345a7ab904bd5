using Npgsql;

namespace Build.Migrations.Database;

/// <summary>
/// What to print when the database fails: PostgreSQL's own error (SQLSTATE and message) wherever it sits in the chain
/// of exceptions Npgsql and we wrap it in, else the innermost cause of a broken session ("Broken pipe", "end of
/// stream").
/// </summary>
public static class DatabaseErrors
{
    /// <summary>SQLSTATE class 08 "connection_failure": what is reported when the session broke without a server
    /// error.</summary>
    public const string ConnectionFailure = "08006";

    /// <summary>The innermost <see cref="PostgresException"/> in <paramref name="error"/>'s chain, or null.</summary>
    public static PostgresException? Innermost(Exception? error)
    {
        PostgresException? found = null;
        for (var e = error; e is not null; e = e.InnerException)
            if (e is PostgresException p) found = p;
        return found;
    }

    /// <summary>"57P01: terminating connection due to administrator command", or "the connection to the server was
    /// lost: Broken pipe".</summary>
    public static string Describe(Exception error)
    {
        if (Innermost(error) is { } server) return $"{server.SqlState}: {server.MessageText}";
        var innermost = error;
        while (innermost.InnerException is not null)
            innermost = innermost.InnerException;
        var broken =
            error is NpgsqlException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException
            || innermost is IOException or System.Net.Sockets.SocketException;
        var cause = innermost == error ? error.Message : $"{error.Message} ({innermost.Message.TrimEnd('.')})";
        return broken ? $"the connection to the server was lost ({ConnectionFailure}): {cause}" : cause;
    }
}
