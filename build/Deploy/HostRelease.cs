namespace Build.Deploy;

/// <summary>What one host ended up with.</summary>
public sealed record HostRelease(string Host, string Release, string? PreviousRelease);
