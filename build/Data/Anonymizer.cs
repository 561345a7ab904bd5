namespace Build.Data;

/// <summary>
/// The anonymisation rules of <c>project.data.copy.anonymize</c>, as SQL run on the source inside the read-only copy
/// (the original values never leave the source server): <c>email</c> a fake, unique address derived from the value;
/// <c>hash</c> its SHA-256 in hex; <c>null</c>; <c>fixed:&lt;value&gt;</c> that value. NULL stays NULL.
/// </summary>
public static class Anonymizer
{
    public static readonly IReadOnlyList<string> Rules = ["email", "hash", "null", "fixed:<value>"];

    public static bool IsValid(string rule) =>
        rule is "email" or "hash" or "null" || rule.StartsWith("fixed:", StringComparison.Ordinal);

    /// <summary>The SELECT expression for <paramref name="column"/> (already quoted) of type
    /// <paramref name="type"/>.</summary>
    public static string Expression(string column, string type, string? rule) =>
        rule switch
        {
            null => column,
            "email" =>
                $"(CASE WHEN {column} IS NULL THEN NULL ELSE 'user-' || left(md5({column}::text), 16) || " +
                $"'@example.invalid' END)::{type}",
            "hash" =>
                $"(CASE WHEN {column} IS NULL THEN NULL ELSE encode(sha256(convert_to({column}::text, 'UTF8')), " +
                $"'hex') END)::{type}",
            "null" => $"NULL::{type}",
            _ when rule.StartsWith("fixed:", StringComparison.Ordinal) =>
                $"(CASE WHEN {column} IS NULL THEN NULL ELSE {Literal(rule["fixed:".Length..])} END)::{type}",
            _ => throw new ArgumentException($"'{rule}' is not an anonymisation rule ({string.Join(", ", Rules)})."),
        };

    private static string Literal(string value) => "'" + value.Replace("'", "''") + "'";
}
