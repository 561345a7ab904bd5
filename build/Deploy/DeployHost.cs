namespace Build.Deploy;

/// <summary>One host to deploy to, with its own layout and process settings.</summary>
public sealed record DeployHost(IRemoteHost Host, DeploySettings Settings)
{
    public ReleaseLayout Layout { get; } = new(Settings.BasePath);
    public string Name => Host.Name;
}
