using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Build.Migrations;

/// <summary>
/// Creates <c>&lt;yyyyMMddHHmmss&gt;_&lt;name&gt;.sql</c> the way <c>supabase migration new</c> does (an empty file
/// named with the current UTC time), but never with a version at or before an existing one: when the clock is behind
/// (or two files are made within a second) the version is one second after the newest existing one.
/// </summary>
public static partial class MigrationScaffolder
{
    public const string TimestampFormat = "yyyyMMddHHmmss";
    public const int MaxNameLength = 100;

    [GeneratedRegex("^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    /// <summary>Null when <paramref name="name"/> is acceptable, otherwise why not (with a suggestion).</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return "a migration name is required: --name=add_feature_x (snake_case: lower-case letters, digits, " +
                "single underscores)";
        if (name.Length > MaxNameLength)
            return $"migration name is {name.Length} characters long; keep it under {MaxNameLength}";
        if (SnakeCase().IsMatch(name)) return null;
        var suggestion = Suggest(name);
        return $"migration name '{name}' is not snake_case: use lower-case letters, digits and single underscores, " +
            "starting with a letter"
            + (suggestion is not null && SnakeCase().IsMatch(suggestion) ? $" (for example --name={suggestion})" : "");
    }

    /// <summary>AddFeatureX, add-feature x, "Add  feature" become add_feature_x, add_feature.</summary>
    private static string? Suggest(string name)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (
                char.IsAsciiLetterUpper(c)
                && i > 0
                && (char.IsAsciiLetterLower(name[i - 1]) || char.IsAsciiDigit(name[i - 1]))
            )
                builder.Append('_');
            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }
        var collapsed = Regex.Replace(builder.ToString(), "_+", "_").Trim('_');
        return collapsed.Length == 0 ? null : collapsed;
    }

    /// <summary>The version for a new file: <paramref name="utcNow"/>, or one second after the newest existing
    /// version.</summary>
    public static string NextVersion(DateTime utcNow, IEnumerable<string> existingVersions)
    {
        var candidate = utcNow.ToUniversalTime().ToString(TimestampFormat, CultureInfo.InvariantCulture);
        var newest = existingVersions
            .Where(v => v.Length > 0)
            .OrderBy(v => v, Comparer<string>.Create(Lint.MigrationVersion.Compare))
            .LastOrDefault();
        if (newest is null || Lint.MigrationVersion.Compare(candidate, newest) > 0)
            return candidate;
        if (
            DateTime.TryParseExact(
                newest,
                TimestampFormat,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal,
                out var time
            )
        )
            return time.AddSeconds(1).ToString(TimestampFormat, CultureInfo.InvariantCulture);
        throw new InvalidOperationException(
            $"the newest existing migration version '{newest}' is not a {TimestampFormat} timestamp and is later " +
            "than now; rename it before adding migrations"
        );
    }

    /// <summary>Creates the empty migration file and returns its full path.</summary>
    public static string Create(string migrationsDirectory, string? name, DateTime utcNow)
    {
        if (NameProblem(name) is { } problem) throw new InvalidMigrationNameException(problem);
        Directory.CreateDirectory(migrationsDirectory);
        // Every file that looks like a migration counts, even one with other problems (its version is taken).
        var versions = Directory.GetFiles(migrationsDirectory)
            .Select(p => MigrationDirectory.ParseFileName(Path.GetFileName(p)))
            .OfType<(string Version, string Name)>()
            .Select(p => p.Version);
        var path = Path.Combine(migrationsDirectory, $"{NextVersion(utcNow, versions)}_{name}.sql");
        using (new FileStream(path, FileMode.CreateNew)) { }
        return path;
    }
}
