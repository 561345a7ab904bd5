namespace Build.Configuration;

/// <summary>How the web app is built and packed (PackageApp).</summary>
public sealed class AppSettings
{
    /// <summary>Folder of the app, relative to the repository root.</summary>
    public string Path { get; set; } = ".";
    public string BuildCommand { get; set; } = "";
    /// <summary>Paths (relative to <see cref="Path"/>) packed into the artifact, as source => destination in the
    /// release.</summary>
    public Dictionary<string, string> Pack { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Entry point started by PM2, relative to the release folder.</summary>
    public string Entry { get; set; } = DefaultEntry;

    public const string DefaultEntry = "server.js";
}
