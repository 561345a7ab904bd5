namespace Build.Host;

/// <summary>What the host reads from the outside world: the working folder and the environment variables.
/// Tests pass their own, so that a run never depends on the developer's shell.</summary>
public sealed class HostEnvironment
{
    public required string WorkingDirectory { get; init; }
    public required Func<string, string?> GetVariable { get; init; }
    /// <summary>Standard output is a terminal (not a file, a pipe or a CI log).</summary>
    public bool OutputIsTerminal { get; init; }
    /// <summary>The checkout to work on; null for the one the suite was built from (tests point it at a scratch
    /// copy).</summary>
    public string? RepositoryRoot { get; init; }

    public static HostEnvironment FromProcess() => new()
    {
        WorkingDirectory = Directory.GetCurrentDirectory(),
        GetVariable = Environment.GetEnvironmentVariable,
        OutputIsTerminal = !Console.IsOutputRedirected,
    };

    /// <summary>Colour only on a terminal: NO_COLOR turns it off, FORCE_COLOR on (a CI log that renders
    /// ANSI).</summary>
    public bool UseColor =>
        string.IsNullOrEmpty(GetVariable("NO_COLOR"))
        && (GetVariable("FORCE_COLOR") is { Length: > 0 } force && force != "0" || OutputIsTerminal);
}
