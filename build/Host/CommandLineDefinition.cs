namespace Build.Host;

/// <summary>What the suite adds to the host's command line: its default target and options of its own (an
/// environment, a configuration file). The host knows only Cake.Frosting's options; everything else is passed
/// in.</summary>
public sealed record CommandLineDefinition
{
    /// <summary>The target when none is given (Cake.Frosting's default is "Default").</summary>
    public string DefaultTarget { get; init; } = "Default";

    /// <summary>The suite's own options: read like the host's (a value, aliases, shown in --help), never task
    /// arguments.</summary>
    public IReadOnlyList<GlobalOption> Options { get; init; } = [];

    /// <summary>The host's options, with Cake.Frosting's names and aliases.</summary>
    public IReadOnlyList<GlobalOption> HostOptions =>
        [
            new(
                "target",
                ["t"],
                "NAME",
                $"Target to run (default: {DefaultTarget}). One per run: a target's dependencies run with it."
            ),
            new("verbosity", ["v"], "LEVEL", "quiet, minimal, normal, verbose or diagnostic (default: normal)."),
            new(
                "working",
                ["w"],
                "PATH",
                "Working directory: paths typed on the command line are read from it (default: where you are)."
            ),
            new(
                "dryrun",
                ["noop", "whatif", "dry-run"],
                null,
                "Show the plan (tasks in order, and what each would do); run nothing, change nothing."
            ),
            new(
                "tree",
                ["showtree"],
                null,
                "Show the dependency graph (of --target when given, else of every target)."
            ),
            new(
                "description",
                ["descriptions", "showdescription", "showdescriptions"],
                null,
                "List every target with its description."
            ),
            new("exclusive", ["e"], null, "Run only the target, not its dependencies."),
            new("version", ["ver"], null, "Version of the suite and of Cake."),
            new("info", [], null, "Version and more about Cake."),
            new("help", ["h", "?"], null, "This text; with --target=X, X's graph and every argument it accepts."),
        ];

    /// <summary>The host's options, then the suite's.</summary>
    public IReadOnlyList<GlobalOption> All => [.. HostOptions, .. Options];

    /// <summary>The option with this name or alias (case-insensitive), or null for a task argument.</summary>
    public GlobalOption? Find(string name) =>
        All.FirstOrDefault(o => o.Aliases.Prepend(o.Name).Contains(name, StringComparer.OrdinalIgnoreCase));

    /// <summary>A name (or alias) of an option of the host or the suite.</summary>
    public bool IsOption(string name) => Find(name) is not null;

    /// <summary>A name (or alias) of the host's own options (a task may never declare one as an argument).</summary>
    public static bool IsHostOption(string name) =>
        new CommandLineDefinition().HostOptions.Any(o =>
            o.Aliases.Prepend(o.Name).Contains(name, StringComparer.OrdinalIgnoreCase)
        );
}
