using Npgsql;

namespace Build.Migrations.Database;

/// <summary>
/// Turns the <c>postgresql://user:password@host:port/db?sslmode=require</c> URLs that Supabase hands out (and that the
/// CLI's <c>--db-url</c> takes) into Npgsql connection strings. A value that is already a connection string passes through.
/// </summary>
public static class DatabaseUrl
{
    /// <summary>Supabase's transaction pooler (Supavisor in transaction mode) listens here.</summary>
    public const int TransactionPoolerPort = 6543;

    public static string ToConnectionString(string urlOrConnectionString, string applicationName = "muva-release-suite")
    {
        var value = urlOrConnectionString.Trim();
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            try { return new NpgsqlConnectionStringBuilder(value) { ApplicationName = applicationName }.ConnectionString; }
            // Never echo the value: it may hold a password.
            catch (ArgumentException) { throw new FormatException("The database URL is neither a postgresql:// URL nor a connection string."); }
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
            throw new FormatException("The database URL is not a valid postgresql://user:password@host:port/database URL.");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "postgres",
            ApplicationName = applicationName,
            IncludeErrorDetail = true,
            CommandTimeout = 0,
        };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]).ToLowerInvariant();
            var v = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (key)
            {
                case "sslmode":
                    builder.SslMode = v.ToLowerInvariant() switch
                    {
                        "disable" => SslMode.Disable, "allow" => SslMode.Allow, "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require, "verify-ca" => SslMode.VerifyCA, "verify-full" => SslMode.VerifyFull,
                        _ => throw new FormatException($"Unknown sslmode '{v}' in the database URL."),
                    };
                    break;
                case "connect_timeout": builder.Timeout = int.Parse(v); break;
                case "application_name": builder.ApplicationName = v; break;
                case "options": builder.Options = v; break;
            }
        }
        return builder.ConnectionString;
    }

    /// <summary>Host and port for messages (never user or password).</summary>
    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{b.Host}:{b.Port}/{b.Database}";
    }

    /// <summary>A postgresql:// URL for tools such as the Supabase CLI or psql (for tests and local scratch servers).</summary>
    public static string ToUrl(string connectionString, bool disableSsl = true)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var user = Uri.EscapeDataString(b.Username ?? "postgres");
        var password = string.IsNullOrEmpty(b.Password) ? "" : ":" + Uri.EscapeDataString(b.Password);
        return $"postgresql://{user}{password}@{b.Host}:{b.Port}/{Uri.EscapeDataString(b.Database ?? "postgres")}" + (disableSsl ? "?sslmode=disable" : "");
    }
}
