using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Build.Deploy;

namespace Build.Configuration;

/// <summary>
/// Reads <c>environments.json</c> and reports every problem at once, each with its JSON path, its line and what is
/// expected. Structure (unknown properties, wrong types) is checked against the C# model itself, so a field added
/// to the model is known here without a second list; meaning (ports, URLs, refs, prefixes) by the rules below.
/// </summary>
public static class ConfigurationLoader
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static EnvironmentsFile Load(string path)
    {
        if (Directory.Exists(path))
            throw new ConfigurationException([
                new ConfigurationError(
                    path,
                    "$",
                    "is a directory, not a file: pass the file itself, e.g. --config=" +
                    $"{Path.Combine(path, "environments.json")}"
                ),
            ]);
        if (!File.Exists(path))
            throw new ConfigurationException([
                new ConfigurationError(
                    path,
                    "$",
                    "file not found (pass --config=PATH or create build/environments.json)"
                ),
            ]);
        return Parse(File.ReadAllBytes(path), path);
    }

    public static EnvironmentsFile Parse(byte[] utf8, string file)
    {
        // Editors on Windows save "UTF-8 with BOM"; the JSON reader would call the BOM invalid JSON.
        if (utf8.AsSpan().StartsWith(Utf8Bom)) utf8 = utf8[Utf8Bom.Length..];
        var errors = new List<ConfigurationError>();
        var lines = JsonLineMap.Build(utf8);
        void Error(string path, string message) =>
            errors.Add(new ConfigurationError(file, path, message, lines.LineOf(path)));

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(
                utf8,
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }
            );
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException([
                new ConfigurationError(
                    file,
                    ex.Path ?? "$",
                    "not valid JSON: " + FirstSentence(ex.Message),
                    (int?)(ex.LineNumber + 1)
                ),
            ]);
        }

        using (document)
        {
            // A key given twice is kept once by every JSON reader, silently: "requiresApproval": true, then false.
            foreach (var (path, line, firstLine) in lines.Duplicates)
                errors.Add(
                    new ConfigurationError(
                        file,
                        path,
                        $"the key '{LastSegment(path)}' is given twice (first on line {firstLine}): JSON keeps only " +
                        "one of them; remove the other",
                        line
                    )
                );
            CheckShape(document.RootElement, typeof(EnvironmentsFile), "$", Error, null);
            if (errors.Count > 0) throw new ConfigurationException(errors);

            var model = document.RootElement.Deserialize<EnvironmentsFile>(JsonOptions)!;
            foreach (var (name, env) in model.Environments) env.Name = name;
            CheckMeaning(model, Error);
            if (errors.Count > 0) throw new ConfigurationException(errors);
            return model;
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static string LastSegment(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? path : path[(cut + (path[cut] == '.' ? 1 : 0))..];
    }

    private static readonly NullabilityInfoContext Nullability = new();

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    // ---- structure, from the model's own types ----

    /// <param name="nullability">Whether the declared type accepts null (string? does, string does not); null for
    /// the root.</param>
    private static void CheckShape(
        JsonElement element,
        Type type,
        string path,
        Action<string, string> error,
        NullabilityInfo? nullability
    )
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (element.ValueKind == JsonValueKind.Null)
        {
            // Only what the model declares nullable may be null; anything else would surface later as a
            // NullReferenceException.
            var mayBeNull =
                underlying is not null || (!type.IsValueType && nullability?.ReadState == NullabilityState.Nullable);
            if (!mayBeNull)
                error(
                    path,
                    $"expected {Describe(type)}, got null"
                        + (type.IsValueType ? "" : " (leave the key out to get the default)")
                );
            return;
        }
        type = underlying ?? type;

        if (type == typeof(string))
        {
            Expect(element.ValueKind == JsonValueKind.String);
            return;
        }
        if (type == typeof(bool))
        {
            Expect(element.ValueKind is JsonValueKind.True or JsonValueKind.False);
            return;
        }
        if (type == typeof(int))
        {
            Expect(element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out _));
            return;
        }
        if (type.IsEnum)
        {
            var names = ConfigurationModel.EnumNames(type);
            Expect(element.ValueKind == JsonValueKind.String && names.Contains(element.GetString()!));
            return;
        }

        if (ConfigurationModel.DictionaryValueType(type) is { } valueType)
        {
            if (!Expect(element.ValueKind == JsonValueKind.Object)) return;
            foreach (var property in element.EnumerateObject())
                CheckShape(
                    property.Value,
                    valueType,
                    $"{path}.{property.Name}",
                    error,
                    nullability?.GenericTypeArguments.ElementAtOrDefault(1)
                );
            return;
        }
        if (ConfigurationModel.ItemType(type) is { } itemType)
        {
            if (!Expect(element.ValueKind == JsonValueKind.Array)) return;
            var i = 0;
            foreach (var item in element.EnumerateArray())
                CheckShape(
                    item,
                    itemType,
                    $"{path}[{i++}]",
                    error,
                    nullability?.GenericTypeArguments.ElementAtOrDefault(0)
                );
            return;
        }

        if (!Expect(element.ValueKind == JsonValueKind.Object)) return;
        var known = ConfigurationModel.Properties(type);
        foreach (var property in element.EnumerateObject())
        {
            if (known.TryGetValue(property.Name, out var target))
                CheckShape(
                    property.Value,
                    target.PropertyType,
                    $"{path}.{property.Name}",
                    error,
                    Nullability.Create(target)
                );
            else
            {
                var suggestion =
                    known.Keys.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase))
                    ?? known
                        .Keys.OrderBy(k => Distance(k, property.Name))
                        .FirstOrDefault(k => Distance(k, property.Name) <= 3);
                error(
                    $"{path}.{property.Name}",
                    $"unknown property '{property.Name}'"
                        + (
                            suggestion is null
                                ? $"; known: {string.Join(", ", known.Keys.Where(k => k != "$schema"))}"
                                : $"; did you mean '{suggestion}'?"
                        )
                );
            }
        }
        foreach (var (name, required) in known.Where(k => ConfigurationModel.IsRequired(k.Value)))
            if (!element.TryGetProperty(name, out _))
                error(
                    path,
                    $"\"{name}\" is missing: add \"{name}\": <{Describe(required.PropertyType)}> (it has no default)"
                );
        return;

        bool Expect(bool ok)
        {
            if (!ok) error(path, $"expected {Describe(type)}, got {Describe(element)}");
            return ok;
        }
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(int)) return "a whole number";
        if (type.IsEnum) return string.Join(" or ", ConfigurationModel.EnumNames(type).Select(n => $"\"{n}\""));
        if (ConfigurationModel.ItemType(type) is not null) return "an array";
        return "an object";
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(e.GetString())}\"",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string? s) => s is null ? "" : s.Length <= 40 ? s : s[..40] + "…";

    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant(); b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
            d[i, j] = Math.Min(
                Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1),
                d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            );
        return d[a.Length, b.Length];
    }

    // ---- meaning ----

    private static void CheckMeaning(EnvironmentsFile model, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(model.Project.Name)) error("$.project.name", "expected the project's name");
        if (model.Environments.Count == 0) error("$.environments", "expected at least one environment");

        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, env) in model.Environments)
        {
            var at = $"$.environments.{name}";
            if (!Rules.IsEnvironmentName(name))
                error(at, $"environment names are lower-case words (a-z, 0-9, -), not '{name}'");
            if (!Rules.IsSecretPrefix(env.SecretPrefix))
                error(
                    $"{at}.secretPrefix",
                    "expected an upper-case prefix such as STAGING (variables become STAGING_DATABASE_URL), got \"" +
                    $"{env.SecretPrefix}\""
                );
            else if (!prefixes.TryAdd(env.SecretPrefix, name))
                error(
                    $"{at}.secretPrefix",
                    $"prefix {env.SecretPrefix} is also used by '{prefixes[env.SecretPrefix]}': each environment " +
                    "needs its own secrets"
                );
            if (env.SupabaseProjectRef is { } projectRef && !Rules.IsProjectRef(projectRef))
                error(
                    $"{at}.supabaseProjectRef",
                    $"expected a Supabase project ref (20 lower-case letters), got \"{projectRef}\""
                );
            if (env.PublicUrl is { } publicUrl && !Rules.IsHttpUrl(publicUrl))
                error($"{at}.publicUrl", $"expected an absolute http(s) URL, got \"{publicUrl}\"");
            for (var i = 0; i < env.HealthUrls.Count; i++)
                if (!Rules.IsHttpUrl(env.HealthUrls[i]))
                    error($"{at}.healthUrls[{i}]", $"expected an absolute http(s) URL, got \"{env.HealthUrls[i]}\"");
            for (var i = 0; i < env.Notifications.Channels.Count; i++)
                if (env.Notifications.Channels[i] is not ("slack" or "discord"))
                    error(
                        $"{at}.notifications.channels[{i}]",
                        $"expected \"slack\" or \"discord\", got \"{env.Notifications.Channels[i]}\""
                    );
            if (env.Backup.KeepDays < 1)
                error($"{at}.backup.keepDays", "expected 1 or more days");
            if (!Rules.IsPostgresDuration(env.Migrations.LockTimeout))
                error(
                    $"{at}.migrations.lockTimeout",
                    $"expected a PostgreSQL duration such as 5s, 500ms or 1min, got \"{env.Migrations.LockTimeout}\""
                );
            if (!Rules.IsPostgresDuration(env.Migrations.StatementTimeout))
                error(
                    $"{at}.migrations.statementTimeout",
                    $"expected a PostgreSQL duration such as 60s or 5min, got \"{env.Migrations.StatementTimeout}\""
                );
            if (env.Migrations.AdvisoryLockWaitSeconds < 0)
                error($"{at}.migrations.advisoryLockWaitSeconds", "expected 0 or more seconds");

            if (env.Deploys && env.Vps is null)
                error(at, "deploys is true but there is no \"vps\" section saying where to");
            if (env.Vps is { } vps) CheckVps(vps, $"{at}.vps", error);
        }

        if (model.GitHub is { } github) CheckGitHub(model, github, error);

        for (var i = 0; i < model.AcceptedSharedDatabases.Count; i++)
        {
            var acceptance = model.AcceptedSharedDatabases[i];
            var at = $"$.acceptedSharedDatabases[{i}]";
            if (acceptance.Environments.Count < 2)
                error($"{at}.environments", "expected the two (or more) environments that share a database");
            foreach (var name in acceptance.Environments.Where(n => !model.Environments.ContainsKey(n)))
                error($"{at}.environments", $"'{name}' is not an environment in this file");
            if (string.IsNullOrWhiteSpace(acceptance.Reason))
                error($"{at}.reason", "an accepted shared database needs the reason it is accepted");
        }
    }

    private static void CheckGitHub(EnvironmentsFile model, GitHubSettings github, Action<string, string> error)
    {
        const string at = "$.github";
        var branches = model
            .Environments.Values.Select(e => e.Branch)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (branch, protection) in github.Protection)
        {
            if (!branches.Contains(branch))
                error(
                    $"{at}.protection.{branch}",
                    $"'{branch}' is no environment's branch (branches: {string.Join(", ", branches)})"
                );
            if (protection.RequiredApprovals is < 0 or > 6)
                error(
                    $"{at}.protection.{branch}.requiredApprovals",
                    $"expected 0 to 6 approving reviews, got {protection.RequiredApprovals}"
                );
        }
        foreach (var (pattern, owners) in github.CodeOwners)
            for (var i = 0; i < owners.Count; i++)
                if (!Rules.IsGitHubOwner(owners[i]))
                    error($"{at}.codeOwners.{pattern}[{i}]", $"expected @user or @org/team, got \"{owners[i]}\"");
        foreach (var (name, environment) in github.Environments)
        {
            var path = $"{at}.environments.{name}";
            if (!model.Environments.TryGetValue(name, out var env))
            {
                error(path, $"'{name}' is not an environment in this file");
                continue;
            }
            if (env.Branch is null)
                error(path, $"'{name}' has no branch: a GitHub environment deploys only from its environment's branch");
            if (environment.Reviewers.Count > 6)
                error($"{path}.reviewers", "GitHub allows at most 6 required reviewers");
            for (var i = 0; i < environment.Reviewers.Count; i++)
                if (!Rules.IsGitHubOwner(environment.Reviewers[i]))
                    error($"{path}.reviewers[{i}]", $"expected @user or @org/team, got \"{environment.Reviewers[i]}\"");
            if (env.RequiresApproval && environment.Reviewers.Count == 0)
                error(
                    $"{path}.reviewers",
                    $"'{name}' has requiresApproval: its GitHub environment needs at least one required reviewer"
                );
            if (environment.WaitMinutes is < 0 or > 43200)
                error($"{path}.waitMinutes", $"expected 0 to 43200 minutes, got {environment.WaitMinutes}");
            for (var i = 0; i < environment.Secrets.Count; i++)
                if (!Rules.IsSecretPrefix(environment.Secrets[i]))
                    error(
                        $"{path}.secrets[{i}]",
                        $"expected a variable name such as {env.SecretPrefix}_DATABASE_URL, got \"" +
                        $"{environment.Secrets[i]}\""
                    );
            foreach (var variable in environment.Variables.Keys.Where(k => !Rules.IsSecretPrefix(k)))
                error($"{path}.variables.{variable}", $"expected an upper-case variable name, got \"{variable}\"");
        }
        foreach (var (name, secret) in github.RepositorySecrets)
        {
            var path = $"{at}.repositorySecrets.{name}";
            if (!Rules.IsSecretPrefix(name)) error(path, $"expected an upper-case secret name, got \"{name}\"");
            if (!model.Environments.ContainsKey(secret.Environment))
                error(
                    $"{path}.environment",
                    $"'{secret.Environment}' is not an environment in this file (environments: " +
                    $"{string.Join(", ", model.Environments.Keys)})"
                );
            if (!Rules.IsSecretPrefix(secret.Variable))
                error($"{path}.variable", $"expected an upper-case variable name, got \"{secret.Variable}\"");
        }
    }

    /// <summary>Everything a deploy relies on, checked once here: the deploy targets and steps take the settings as
    /// they are.</summary>
    private static void CheckVps(DeploySettings vps, string at, Action<string, string> error)
    {
        var ssh = vps.Transport == DeployTransport.Ssh;
        if (string.IsNullOrWhiteSpace(vps.BasePath))
            error(
                $"{at}.basePath",
                "expected the folder that holds releases/, shared/ and current, e.g. \"/var/www/muva-chat\""
            );
        else if (ssh && !vps.BasePath.StartsWith('/'))
            error(
                $"{at}.basePath",
                $"expected an absolute path on the host, e.g. \"/var/www/{vps.BasePath.TrimStart('.', '/')}\", got \"" +
                $"{vps.BasePath}\""
            );
        else if (Rules.UnsafeBasePath(vps.BasePath) is { } why)
            error($"{at}.basePath", why);
        if (!Rules.IsPm2Name(vps.AppName))
            error($"{at}.pm2AppName", $"expected a PM2 app name (letters, digits, . _ -), got \"{vps.AppName}\"");
        for (var i = 0; i < vps.Ports.Count; i++)
            if (vps.Ports[i] is < 1 or > 65535)
                error($"{at}.ports[{i}]", $"expected a port between 1 and 65535, got {vps.Ports[i]}");
        if (vps.Strategy == DeployStrategy.BlueGreen && (vps.Ports.Count != 2 || vps.Ports.Distinct().Count() != 2))
            error(
                $"{at}.ports",
                "the bluegreen strategy alternates between exactly two different ports, e.g. [3000, 3001]"
            );
        if (vps.Ports.Count == 0)
            error($"{at}.ports", "expected at least one port, e.g. [3000]");
        if (vps.SshPort is < 1 or > 65535)
            error($"{at}.sshPort", $"expected a port between 1 and 65535, got {vps.SshPort}");
        for (var i = 0; i < vps.Hosts.Count; i++)
            if (!Rules.IsHostWithOptionalPort(vps.Hosts[i]))
                error(
                    $"{at}.hosts[{i}]",
                    $"expected a host name or IP address, optionally with :port, got \"{vps.Hosts[i]}\""
                );
        if (vps.Instances < 1)
            error($"{at}.instances", $"expected 1 or more PM2 instances, got {vps.Instances}");
        if (vps.KeepReleases < 2)
            error(
                $"{at}.keepReleases",
                $"expected 2 or more: the current release and one to roll back to, got {vps.KeepReleases}"
            );
        if (!vps.HealthPath.StartsWith('/'))
            error(
                $"{at}.healthPath",
                $"expected a path starting with /, e.g. \"/{vps.HealthPath}\", got \"{vps.HealthPath}\""
            );
        AtLeast(vps.LockWaitSeconds, 0, "lockWaitSeconds");
        AtLeast(vps.HealthTimeoutSeconds, 1, "healthTimeoutSeconds");
        AtLeast(vps.ListenTimeoutSeconds, 1, "listenTimeoutSeconds");
        AtLeast(vps.DrainSeconds, 0, "drainSeconds");
        // "" would mean "not set" to some readers and "set to nothing" to others: one spelling, null.
        NotEmpty(vps.User, "user", "the VPS_USER secret");
        NotEmpty(vps.NginxUpstreamFile, "nginxUpstreamFile", "no Nginx include is written");
        NotEmpty(vps.NginxSwitchCommand, "nginxSwitchCommand", "no switch helper");
        NotEmpty(vps.Pm2Home, "pm2Home", "PM2's default ~/.pm2");
        Given(vps.NginxReloadCommand, "nginxReloadCommand");
        Given(vps.Pm2Command, "pm2Command");
        if (!Rules.HostKeyAlgorithms.Contains(vps.HostKeyAlgorithm))
            error(
                $"{at}.hostKeyAlgorithm",
                "expected the algorithm of the host key VPS_HOST_KEY pins, one of " +
                $"{string.Join(", ", Rules.HostKeyAlgorithms.Select(a => $"\"{a}\""))}, got \"{vps.HostKeyAlgorithm}\""
            );
        SharedPaths(vps.SharedFiles, "sharedFiles");
        SharedPaths(vps.SharedDirectories, "sharedDirectories");
        if (
            ssh
            && vps.Strategy == DeployStrategy.BlueGreen
            && vps.NginxUpstreamFile is null
            && vps.NginxSwitchCommand is null
        )
            error(
                $"{at}.nginxSwitchCommand",
                "the bluegreen strategy over ssh switches traffic through Nginx: give the switch helper "
                    + "(\"sudo -n /usr/local/sbin/muva-nginx-switch\", docs/deploy.md) or nginxUpstreamFile"
            );
        return;

        void AtLeast(int value, int minimum, string name)
        {
            if (value < minimum) error($"{at}.{name}", $"expected {minimum} or more seconds, got {value}");
        }

        void NotEmpty(string? value, string name, string meaning)
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
                error($"{at}.{name}", $"is empty: leave the key out (or write null) for {meaning}, or give a value");
        }

        void Given(string value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
                error($"{at}.{name}", "is empty: leave the key out for the default, or give a value");
        }

        void SharedPaths(IReadOnlyList<string> paths, string name)
        {
            for (var i = 0; i < paths.Count; i++)
                if (
                    paths[i].Length == 0
                    || paths[i].StartsWith('/')
                    || paths[i].Replace('\\', '/').Split('/').Contains("..")
                )
                    error(
                        $"{at}.{name}[{i}]",
                        "expected a path inside shared/ and the release, such as \".env\" or \"uploads\", got \"" +
                        $"{paths[i]}\""
                    );
        }
    }
}
