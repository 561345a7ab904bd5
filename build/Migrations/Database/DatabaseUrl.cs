using Npgsql;

namespace Build.Migrations.Database;

/// <summary>
/// Turns the <c>postgresql://user:password@host:port/db?sslmode=require</c> URLs that Supabase hands out (and that the
/// CLI's <c>--db-url</c> takes) into Npgsql connection strings. A value that is already a connection string passes
/// through.
/// </summary>
public static class DatabaseUrl
{
    /// <summary>Supabase's transaction pooler (Supavisor in transaction mode) listens here.</summary>
    public const int TransactionPoolerPort = 6543;

    public static string ToConnectionString(string urlOrConnectionString, string applicationName = "muva-release-suite")
    {
        var value = urlOrConnectionString.Trim();
        if (
            !value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        )
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(value) { ApplicationName = applicationName }.ConnectionString;
            }
            // Never echo the value: it may hold a password.
            catch (ArgumentException)
            {
                throw new DatabaseUrlFormatException(
                    "is neither a postgresql://user:password@host:5432/database URL nor a connection string."
                );
            }
        }

        var url = Parse(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.Port ?? 5432,
            Database = url.Database ?? "postgres",
            ApplicationName = applicationName,
            IncludeErrorDetail = true,
            CommandTimeout = 0,
        };
        if (url.User is not null) builder.Username = url.User;
        if (url.Password is not null) builder.Password = url.Password;
        foreach (var (key, v) in url.Query)
        {
            switch (key.ToLowerInvariant())
            {
                case "sslmode":
                    builder.SslMode = v.ToLowerInvariant() switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw new DatabaseUrlFormatException(
                            "has an sslmode that is not one of disable, allow, prefer, require, verify-ca, verify-full."
                        ),
                    };
                    break;
                case "connect_timeout":
                    builder.Timeout =
                        int.TryParse(v, out var seconds) && seconds >= 0
                            ? seconds
                            : throw new DatabaseUrlFormatException(
                                "has a connect_timeout that is not a whole number of seconds."
                            );
                    break;
                case "application_name": builder.ApplicationName = v; break;
                case "options": builder.Options = v; break;
            }
        }
        return builder.ConnectionString;
    }

    /// <summary>How to fix a user name or password that breaks the URL (shown instead of any part of it).</summary>
    public const string EncodingHint =
        "Percent-encode the user name and password: / as %2F, @ as %40, # as %23, ? as %3F, : as %3A, % as %25, a " +
        "space as %20 "
        + "(for example: node -e 'console.log(encodeURIComponent(require(\"fs\").readFileSync(0, \"utf8\").trim()))' " +
        "and type the password, then Ctrl-D).";

    /// <summary>
    /// Reads <c>postgres[ql]://[user[:password]@]host[:port][/database][?key=value&amp;...]</c> strictly: a reserved
    /// character left unencoded in the user name or password is refused instead of being read as part of the host,
    /// port or path (which printed pieces of the password in "host:port/database" messages).
    /// Every message names the problem and the fix, never any of the text.
    /// </summary>
    public static DatabaseUrlParts Parse(string url)
    {
        var value = url.Trim();
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : value[..schemeEnd];
        if (
            !scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase)
            && !scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase)
        )
            throw new DatabaseUrlFormatException(
                "is not a PostgreSQL URL (expected postgresql://user:password@host:5432/postgres)."
            );
        var rest = value[(schemeEnd + 3)..];
        if (rest.Contains('#'))
            throw new DatabaseUrlFormatException(
                "contains '#', which ends a URL: a '#' in the password must be written %23. " + EncodingHint
            );

        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            if (userInfo.IndexOfAny(['@', '/', '?']) >= 0)
                throw new DatabaseUrlFormatException(
                    "has a user name or password with an unencoded '/', '@' or '?', so its host, port and database " +
                    "cannot be told apart. "
                        + EncodingHint
                );
            if (!IsEncodedUserInfo(userInfo))
                throw new DatabaseUrlFormatException(
                    "has a user name or password with a character that must be percent-encoded in a URL (or a '%' " +
                    "not followed by two hex digits). "
                        + EncodingHint
                );
            var colon = userInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            rest = rest[(at + 1)..];
        }

        var authorityEnd = rest.IndexOfAny(['/', '?']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        rest = authorityEnd < 0 ? "" : rest[authorityEnd..];
        var (host, port) = ParseAuthority(authority);

        string? database = null;
        if (rest.StartsWith('/'))
        {
            var queryStart = rest.IndexOf('?');
            var path = queryStart < 0 ? rest[1..] : rest[1..queryStart];
            rest = queryStart < 0 ? "" : rest[queryStart..];
            if (path.Contains('/'))
                throw new DatabaseUrlFormatException(
                    "has a database name with a '/' (expected .../postgres). " + EncodingHint
                );
            if (path.Length > 0)
                database = Unescape(path, "database name");
        }
        var query = new List<KeyValuePair<string, string>>();
        foreach (var pair in rest.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            query.Add(new(Unescape(kv[0], "query"), kv.Length == 2 ? Unescape(kv[1], "query") : ""));
        }
        return new DatabaseUrlParts(host, port, user, password, database, query);
    }

    private static (string Host, int? Port) ParseAuthority(string authority)
    {
        string host;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0) throw new DatabaseUrlFormatException("has an IPv6 host without its closing ']'.");
            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (!after.StartsWith(':'))
                    throw new DatabaseUrlFormatException("has text after the IPv6 host where ':port' belongs.");
                portText = after[1..];
            }
            if (!System.Net.IPAddress.TryParse(host, out _))
                throw new DatabaseUrlFormatException("has a host in [...] that is not an IPv6 address.");
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
            if (host.Length == 0)
                throw new DatabaseUrlFormatException(
                    "has no host (expected postgresql://user:password@host:5432/postgres)."
                );
            if (!IsHost(host))
                throw new DatabaseUrlFormatException(
                    "has a host that is not a host name or IP address (one host only; if the password holds a " +
                    "reserved character, that is the cause). "
                        + EncodingHint
                );
        }
        int? port = null;
        if (!string.IsNullOrEmpty(portText))
        {
            if (
                !int.TryParse(
                    portText,
                    System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture,
                    out var p
                ) || p is < 1 or > 65535
            )
                throw new DatabaseUrlFormatException(
                    "has a port that is not a number between 1 and 65535 (if the password holds a reserved " +
                    "character, that is the cause). "
                        + EncodingHint
                );
            port = p;
        }
        return (host, port);
    }

    /// <summary>A DNS name, an IPv4 address or a container name (Supabase's local ones hold '_').</summary>
    private static bool IsHost(string host) =>
        System.Net.IPAddress.TryParse(host, out _)
        || (
            host.Length <= 253
            && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
            && !host.StartsWith('.')
            && !host.StartsWith('-')
        );

    /// <summary>RFC 3986 userinfo: unreserved, sub-delims, ':' and %HH escapes only.</summary>
    private static bool IsEncodedUserInfo(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:".Contains(c))
                continue;
            if (
                c == '%'
                && i + 2 < text.Length
                && char.IsAsciiHexDigit(text[i + 1])
                && char.IsAsciiHexDigit(text[i + 2])
            )
            {
                i += 2;
                continue;
            }
            return false;
        }
        return true;
    }

    private static string Unescape(string text, string what)
    {
        for (var i = text.IndexOf('%'); i >= 0; i = text.IndexOf('%', i + 1))
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                throw new DatabaseUrlFormatException(
                    $"has a '%' in its {what} that is not followed by two hex digits (write % as %25)."
                );
        return Uri.UnescapeDataString(text);
    }

    /// <summary>Host and port for messages (never user or password).</summary>
    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{b.Host}:{b.Port}/{b.Database}";
    }

    /// <summary>A postgresql:// URL for tools such as the Supabase CLI or psql (for tests and local scratch
    /// servers).</summary>
    public static string ToUrl(string connectionString, bool disableSsl = true)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var user = Uri.EscapeDataString(b.Username ?? "postgres");
        var password = string.IsNullOrEmpty(b.Password) ? "" : ":" + Uri.EscapeDataString(b.Password);
        return $"postgresql://{user}{password}@{b.Host}:{b.Port}/{Uri.EscapeDataString(b.Database ?? "postgres")}"
            + (disableSsl ? "?sslmode=disable" : "");
    }
}
