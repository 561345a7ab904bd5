using System.Security.Cryptography;
using Build.Migrations.Database;
using Npgsql;

namespace Build.Data;

/// <summary>
/// Gives the role of a database URL a new random password: changes it, proves a new connection with it works,
/// then updates every place holding the URL; if any of that fails, the places already written and the old password
/// are put back, and a new connection with the old password is proved. No password is ever put in a message.
/// </summary>
public sealed class DbPasswordRotator(Action<string> progress, Action<string>? secret = null)
{
    /// <summary>32 random bytes as base64url: 43 characters that need no percent-encoding in a URL, nor quoting in
    /// SQL.</summary>
    public static string NewPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The URL with its password replaced; everything else (user, host, options) kept as written.</summary>
    public static string WithPassword(string url, string password)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
            throw new InvalidOperationException(
                "the database URL is not a postgresql:// URL, so its password cannot be replaced in place."
            );
        var start = scheme + 3;
        var end = url.IndexOfAny(['/', '?'], start);
        if (end < 0) end = url.Length;
        var at = url.LastIndexOf('@', end - 1, end - start);
        if (at < 0)
            throw new InvalidOperationException(
                "the database URL names no user (postgresql://USER:PASSWORD@HOST/...)."
            );
        var colon = url.IndexOf(':', start, at - start);
        var user = colon < 0 ? url[start..at] : url[start..colon];
        return url[..start] + user + ":" + password + url[at..];
    }

    public sealed record Outcome(string Role, IReadOnlyList<string> Updated);

    public async Task<Outcome> RotateAsync(
        string url,
        IReadOnlyList<RotationStep> steps,
        CancellationToken cancellationToken = default
    )
    {
        var password = NewPassword();
        var newUrl = WithPassword(url, password);
        secret?.Invoke(password); // masked before anything can print it
        secret?.Invoke(newUrl);
        var oldPassword = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(url)).Password ?? "";

        // The session that changes the password stays open: it can put the old one back whatever happens after.
        await using var admin = await OpenAsync(url, cancellationToken);
        string role;
        await using (var who = new NpgsqlCommand("SELECT current_user", admin))
            role = (string)(await who.ExecuteScalarAsync(cancellationToken))!;
        await SetPasswordAsync(admin, role, password, cancellationToken);
        progress($"Set a new password for role {role}; proving a new connection with it...");

        var done = new List<RotationStep>();
        try
        {
            await using (var check = await OpenAsync(newUrl, cancellationToken))
            await using (var one = new NpgsqlCommand("SELECT 1", check))
                await one.ExecuteScalarAsync(cancellationToken);
            progress("A new connection with the new password works.");
            foreach (var step in steps)
            {
                await step.Apply(newUrl);
                done.Add(step);
                progress($"Updated {step.Name}.");
            }
            return new Outcome(role, done.Select(s => s.Name).ToList());
        }
        catch (Exception failure)
        {
            var undone = new List<string>();
            var notUndone = new List<string>();
            foreach (var step in Enumerable.Reverse(done))
            {
                try { await step.Undo(); undone.Add(step.Name); }
                catch (Exception) { notUndone.Add(step.Name); }
            }
            string restored;
            try
            {
                await RestoreAsync(admin, newUrl, role, oldPassword);
                await using (var check = await OpenAsync(url, CancellationToken.None))
                await using (var one = new NpgsqlCommand("SELECT 1", check))
                    // the undo finishes even when the run is cancelled
                    await one.ExecuteScalarAsync(CancellationToken.None);
                restored = "the old password was put back (a new connection with it works)";
            }
            catch (Exception e)
            {
                restored =
                    $"PUTTING THE OLD PASSWORD BACK FAILED ({Describe(e)}): the role now has the new password, which " +
                    "no place holds; set one by hand with ALTER ROLE";
            }
            var places =
                (undone.Count > 0 ? $"; put back: {string.Join(", ", undone)}" : "")
                + (
                    notUndone.Count > 0
                        ? $"; COULD NOT put back: {string.Join(", ", notUndone)} (they hold a URL whose password is " +
                            "no longer valid)"
                        : ""
                );
            var where =
                done.Count == 0 && failure is NpgsqlException
                    ? "connecting with the new password"
                    : steps.Skip(done.Count).FirstOrDefault()?.Name ?? "the rotation";
            throw new RotationFailedException(
                $"Rotating role {role}'s password failed at {where}: {Describe(failure)}; {restored}{places}."
            );
        }
    }

    private static async Task RestoreAsync(NpgsqlConnection admin, string newUrl, string role, string oldPassword)
    {
        try { await SetPasswordAsync(admin, role, oldPassword, CancellationToken.None); }
        catch (Exception) when (admin.FullState != System.Data.ConnectionState.Open)
        {
            // The session was lost (a long step, a restart): the new password still opens one.
            await using var again = await OpenAsync(newUrl, CancellationToken.None);
            await SetPasswordAsync(again, role, oldPassword, CancellationToken.None);
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(string url, CancellationToken cancellationToken)
    {
        // Never pooled: each open is a real login, so it proves the password.
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(url)) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>ALTER ROLE in a transaction that first turns statement logging off where the role may (a superuser's
    /// session), so the server's log never holds the password.</summary>
    private static async Task SetPasswordAsync(
        NpgsqlConnection connection,
        string role,
        string password,
        CancellationToken cancellationToken
    )
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (
            var setting in new[] { "SET LOCAL log_statement = 'none'", "SET LOCAL log_min_duration_statement = -1" }
        )
        {
            await transaction.SaveAsync("quiet", cancellationToken);
            try
            {
                await using var quiet = new NpgsqlCommand(setting, connection, transaction);
                await quiet.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException) { await transaction.RollbackAsync("quiet", cancellationToken); }
        }
        var sql = $"ALTER ROLE \"{role.Replace("\"", "\"\"")}\" PASSWORD '{password.Replace("'", "''")}'";
        try
        {
            await using var alter = new NpgsqlCommand(sql, connection, transaction);
            await alter.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            // A new exception without the original: Npgsql keeps the statement text (and so the password) on it.
            throw new RotationFailedException($"ALTER ROLE {role} was refused: {e.SqlState} {e.MessageText}");
        }
    }

    private static string Describe(Exception e) => e switch
    {
        PostgresException p => $"{p.SqlState} {p.MessageText}",
        Octokit.ApiException a => $"GitHub answered {(int)a.StatusCode}",
        _ => e.Message,
    };
}
