namespace Build.Host;

/// <summary>What <see cref="ChangesEnvironmentAttribute"/> declares, as the catalog holds it.</summary>
public sealed record EnvironmentPolicy(bool Approval, bool BackupFirst, bool Announce);
