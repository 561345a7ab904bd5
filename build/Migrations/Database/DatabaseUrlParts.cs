namespace Build.Migrations.Database;

/// <summary>A <c>postgresql://</c> URL read strictly: user and password already percent-decoded.</summary>
public sealed record DatabaseUrlParts(
    string Host,
    int? Port,
    string? User,
    string? Password,
    string? Database,
    IReadOnlyList<KeyValuePair<string, string>> Query
);
