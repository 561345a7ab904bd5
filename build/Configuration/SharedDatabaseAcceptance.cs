namespace Build.Configuration;

/// <summary>One entry of <c>acceptedSharedDatabases</c>: environments allowed to share a database, and why.</summary>
public sealed class SharedDatabaseAcceptance
{
    public required List<string> Environments { get; set; }
    public required string Reason { get; set; }
}
