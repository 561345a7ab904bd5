namespace Build.Host;

/// <summary>The command line as Cake.Frosting users know it: <c>--target=X --env=staging --verbosity=diagnostic
/// --dryrun</c>, Cake's aliases included (<c>-t</c>, <c>-v</c>, <c>-w</c>, <c>-e</c> for --exclusive, <c>--showtree</c>,
/// <c>--ver</c>...). Every other <c>--key=value</c> is kept as a task argument; the host refuses those that no task of
/// the run declares (<see cref="ArgumentCheck"/>).</summary>
public sealed record CommandLine
{
    public const string DefaultTarget = "Validate";
    public const string DefaultEnvironment = "local";

    public string Target { get; init; } = DefaultTarget;
    /// <summary>--target was given (help then describes that target).</summary>
    public bool TargetGiven { get; init; }
    public string Environment { get; init; } = DefaultEnvironment;
    public string? ConfigPath { get; init; }
    /// <summary>--working/-w: the folder relative paths are read from (default: the caller's).</summary>
    public string? WorkingDirectory { get; init; }
    public Cake.Core.Diagnostics.Verbosity Verbosity { get; init; } = Cake.Core.Diagnostics.Verbosity.Normal;
    public bool DryRun { get; init; }
    public bool Tree { get; init; }
    public bool Description { get; init; }
    public bool Exclusive { get; init; }
    public bool Help { get; init; }
    public bool Version { get; init; }
    public bool Info { get; init; }
    /// <summary>Every argument by its canonical lower-case name (aliases resolved), global options included, as
    /// Cake's <c>Argument()</c> sees them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Arguments { get; init; } = [];

    /// <summary>The task arguments: every argument that is not a global option.</summary>
    public IEnumerable<KeyValuePair<string, string>> TaskArguments => Arguments.Where(a => !IsGlobalOption(a.Key));

    public static readonly IReadOnlyList<GlobalOption> GlobalOptions =
    [
        new("target", ["t"], "NAME", $"Target to run (default: {DefaultTarget}). One per run: a target's dependencies run with it."),
        new("env", ["environment"], "ENV", $"Environment to act on (default: {DefaultEnvironment})."),
        new("config", [], "PATH", "Environment file (default: build/environments.json; a relative path is read from the working directory)."),
        new("verbosity", ["v"], "LEVEL", "quiet, minimal, normal, verbose or diagnostic (default: normal)."),
        new("working", ["w"], "PATH", "Working directory: relative --config, --artifact and --output paths are read from it (default: where you are)."),
        new("dryrun", ["noop", "whatif", "dry-run"], null, "Show the plan (tasks in order, and what each would do); run nothing, change nothing."),
        new("tree", ["showtree"], null, "Show the dependency graph (of --target when given, else of every target)."),
        new("description", ["descriptions", "showdescription", "showdescriptions"], null, "List every target with its description."),
        new("exclusive", ["e"], null, "Run only the target, not its dependencies (approvals are still asked)."),
        new("version", ["ver"], null, "Version of the suite and of Cake."),
        new("info", [], null, "Version and more about Cake."),
        new("help", ["h", "?"], null, "This text; with --target=X, X's graph and every argument it accepts."),
    ];

    private static readonly Dictionary<string, GlobalOption> ByName = GlobalOptions
        .SelectMany(o => o.Aliases.Prepend(o.Name).Select(alias => (alias, o)))
        .ToDictionary(p => p.alias, p => p.o, StringComparer.OrdinalIgnoreCase);

    /// <summary>A name (or alias) of a host option.</summary>
    public static bool IsGlobalOption(string name) => ByName.ContainsKey(name);

    /// <summary>Parses <paramref name="args"/>; a problem throws <see cref="CommandLineException"/> naming the word.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var given = new Dictionary<string, string>(StringComparer.Ordinal); // option -> the word that gave it
        for (var i = 0; i < args.Count; i++)
        {
            var word = args[i];
            string key, value;
            bool hasValue;
            if (word.StartsWith("--", StringComparison.Ordinal) && word.Length > 2)
                (key, value, hasValue) = SplitOption(word[2..], word);
            else if (word.StartsWith('-') && word.Length > 1 && !word.StartsWith("--", StringComparison.Ordinal))
            {
                (key, value, hasValue) = SplitOption(word[1..], word);
                if (key.Length != 1 || !ByName.TryGetValue(key, out var shortOption))
                    throw new CommandLineException($"Unknown option '{word}'. Short options are -t, -v, -w, -e (exclusive) and -h; " +
                                                   "everything else is --name=value. See --help.");
                key = shortOption.Name;
                if (key == "exclusive" && hasValue && !bool.TryParse(value, out _))
                    throw new CommandLineException($"'{word}': -e is --exclusive, as in Cake. The environment is --env={value}.");
            }
            else if (i == 0 && !word.StartsWith('-'))
            {
                // `./build.sh DeployStaging` is a common slip; accept a first bare word as the target.
                AddGlobal("target", word, word);
                continue;
            }
            else
            {
                var hint = i > 0 && args[i - 1] is "-e" ? $" (-e is --exclusive, as in Cake; for the environment write --env={word})" : "";
                throw new CommandLineException($"Unexpected word '{word}'{hint}. Arguments look like --name=value; see --help.");
            }

            if (!ByName.TryGetValue(key, out var option))
            {
                // A task argument: checked against the run's tasks once the target is known.
                pairs.Add(new(key.ToLowerInvariant(), value));
                continue;
            }
            if (option.IsSwitch)
            {
                if (hasValue) ParseSwitch(option.Name, value);
                AddGlobal(option.Name, value, word);
                continue;
            }
            if (!hasValue)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith('-'))
                    throw new CommandLineException($"--{option.Name} needs a value, for example --{option.Name}={Example(option.Name)}.");
                value = args[++i];
                word = $"{word} {value}";
            }
            if (value.Length == 0)
                throw new CommandLineException($"--{option.Name} needs a value, for example --{option.Name}={Example(option.Name)}.");
            AddGlobal(option.Name, value, word);
        }

        void AddGlobal(string name, string value, string word)
        {
            if (given.TryGetValue(name, out var earlier) && !ByName[name].IsSwitch)
                throw new CommandLineException(name == "target"
                    ? $"Two targets: '{earlier}' and '{word}'. Give one --target; the tasks it depends on run with it (see --tree --target=NAME)."
                    : $"--{name} is given twice ('{earlier}' and '{word}'): give it once.");
            given[name] = word;
            pairs.Add(new(name, value));
        }

        string? Last(string name) => pairs.LastOrDefault(p => p.Key == name).Value;
        bool IsSet(string name) => pairs.Any(p => p.Key == name) && ParseSwitch(name, Last(name)!);

        return new CommandLine
        {
            Target = Last("target") ?? DefaultTarget,
            TargetGiven = Last("target") is not null,
            Environment = (Last("env") ?? DefaultEnvironment).ToLowerInvariant(),
            ConfigPath = Last("config"),
            WorkingDirectory = Last("working"),
            Verbosity = Last("verbosity") is { } v ? ParseVerbosity(v) : Cake.Core.Diagnostics.Verbosity.Normal,
            DryRun = IsSet("dryrun"),
            Tree = IsSet("tree"),
            Description = IsSet("description"),
            Exclusive = IsSet("exclusive"),
            Help = IsSet("help"),
            Version = IsSet("version"),
            Info = IsSet("info"),
            Arguments = pairs,
        };
    }

    private static (string Key, string Value, bool HasValue) SplitOption(string text, string word)
    {
        var eq = text.IndexOf('=');
        var key = eq < 0 ? text : text[..eq];
        if (key.Length == 0) throw new CommandLineException($"Option '{word}' has no name.");
        return (key, eq < 0 ? "" : text[(eq + 1)..], eq >= 0);
    }

    private static bool ParseSwitch(string name, string value)
    {
        if (value.Length == 0) return true;
        if (bool.TryParse(value, out var b)) return b;
        throw new CommandLineException($"--{name} is a switch: give it alone or as --{name}=true|false, not '{value}'.");
    }

    public static Cake.Core.Diagnostics.Verbosity ParseVerbosity(string value) => value.ToLowerInvariant() switch
    {
        "q" or "quiet" => Cake.Core.Diagnostics.Verbosity.Quiet,
        "m" or "minimal" => Cake.Core.Diagnostics.Verbosity.Minimal,
        "n" or "normal" => Cake.Core.Diagnostics.Verbosity.Normal,
        "v" or "verbose" => Cake.Core.Diagnostics.Verbosity.Verbose,
        "d" or "diag" or "diagnostic" => Cake.Core.Diagnostics.Verbosity.Diagnostic,
        _ => throw new CommandLineException($"Unknown verbosity '{value}'. Valid: quiet, minimal, normal, verbose, diagnostic."),
    };

    private static string Example(string key) => key switch
    {
        "target" => "Validate",
        "env" => "staging",
        "config" => "build/environments.json",
        "verbosity" => "verbose",
        "working" => "path/to/repository",
        _ => "value",
    };
}
