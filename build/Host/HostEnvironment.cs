namespace Build.Host;

/// <summary>What the host reads from the outside world: the working folder and the environment variables.
/// Tests pass their own, so that a run never depends on the developer's shell.</summary>
public sealed class HostEnvironment
{
    public required string WorkingDirectory { get; init; }
    public required Func<string, string?> GetVariable { get; init; }
    /// <summary>The checkout to work on; null for the one the suite was built from (tests point it at a scratch copy).</summary>
    public string? RepositoryRoot { get; init; }

    public static HostEnvironment FromProcess() => new()
    {
        WorkingDirectory = Directory.GetCurrentDirectory(),
        GetVariable = Environment.GetEnvironmentVariable,
    };
}

/// <summary>An error that points at a place in a file; the host turns it into an annotation with file and line.</summary>
public interface IFileLocated
{
    string? File { get; }
    int? Line { get; }
    int? Column { get; }
}
