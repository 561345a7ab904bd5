namespace Build.Deploy;

/// <summary>The release a deploy put live, its commit, and what each host ended up with.</summary>
public sealed record DeployResult(string Release, string Commit, IReadOnlyList<HostRelease> Hosts);
