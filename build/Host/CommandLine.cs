namespace Build.Host;

/// <summary>The command line as Cake.Frosting users know it: <c>--target=X --env=staging --verbosity=diagnostic
/// --dryrun</c>, Cake's aliases included (<c>-t</c>, <c>-v</c>, <c>-w</c>, <c>-e</c> for --exclusive,
/// <c>--showtree</c>,
/// <c>--ver</c>...). Every other <c>--key=value</c> is kept as a task argument; the host refuses those that no task of
/// the run declares (<see cref="ArgumentCheck"/>).</summary>
public sealed record CommandLine
{
    /// <summary>The default target and the suite's own options this line was read with.</summary>
    public CommandLineDefinition Definition { get; init; } = new();
    public string Target { get; init; } = "Default";
    /// <summary>--target was given (help then describes that target).</summary>
    public bool TargetGiven { get; init; }
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
    /// <summary>Every argument by its canonical lower-case name (aliases resolved), options included, as Cake's
    /// <c>Argument()</c> sees them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Arguments { get; init; } = [];

    /// <summary>The task arguments: every argument that is not an option of the host or the suite.</summary>
    public IEnumerable<KeyValuePair<string, string>> TaskArguments => Arguments.Where(a => !Definition.IsOption(a.Key));

    /// <summary>The value of an option (of the suite's, by its name), or null when it was not given.</summary>
    public string? Option(string name) => Arguments.LastOrDefault(a => a.Key == name).Value;

    /// <summary>The option was on the command line.</summary>
    public bool HasOption(string name) => Arguments.Any(a => a.Key == name);

    /// <summary>Parses <paramref name="args"/>; a problem throws <see cref="CommandLineException"/> naming the
    /// word.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args, CommandLineDefinition? definition = null)
    {
        definition ??= new CommandLineDefinition();
        var byName = definition.All
            .SelectMany(o => o.Aliases.Prepend(o.Name).Select(alias => (alias, o)))
            .ToDictionary(p => p.alias, p => p.o, StringComparer.OrdinalIgnoreCase);
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
                if (key.Length != 1 || !byName.TryGetValue(key, out var shortOption))
                    throw new CommandLineException(
                        $"Unknown option '{word}'. Short options are -t, -v, -w, -e (exclusive) and -h; "
                            + "everything else is --name=value. See --help."
                    );
                key = shortOption.Name;
                if (key == "exclusive" && hasValue && !bool.TryParse(value, out _))
                    throw new CommandLineException(
                        $"'{word}': -e is --exclusive, as in Cake.{MeantOption(definition, value)}"
                    );
            }
            else if (i == 0 && !word.StartsWith('-'))
            {
                // `./build.sh DeployStaging` is a common slip; accept a first bare word as the target.
                AddGlobal("target", word, word);
                continue;
            }
            else
            {
                var hint =
                    i > 0 && args[i - 1] is "-e"
                        ? $" (-e is --exclusive, as in Cake.{MeantOption(definition, word)})"
                        : "";
                throw new CommandLineException(
                    $"Unexpected word '{word}'{hint}. Arguments look like --name=value; see --help."
                );
            }

            if (!byName.TryGetValue(key, out var option))
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
                    throw new CommandLineException(
                        $"--{option.Name} needs a value, for example --{option.Name}={Example(option)}."
                    );
                value = args[++i];
                word = $"{word} {value}";
            }
            if (value.Length == 0)
                throw new CommandLineException(
                    $"--{option.Name} needs a value, for example --{option.Name}={Example(option)}."
                );
            AddGlobal(option.Name, value, word);
        }

        void AddGlobal(string name, string value, string word)
        {
            if (given.TryGetValue(name, out var earlier) && !byName[name].IsSwitch)
                throw new CommandLineException(
                    name == "target"
                        ? $"Two targets: '{earlier}' and '{word}'. Give one --target; the tasks it depends on run " +
                            "with it (see --tree --target=NAME)."
                        : $"--{name} is given twice ('{earlier}' and '{word}'): give it once."
                );
            given[name] = word;
            pairs.Add(new(name, value));
        }

        string? Last(string name) => pairs.LastOrDefault(p => p.Key == name).Value;
        bool IsSet(string name) => pairs.Any(p => p.Key == name) && ParseSwitch(name, Last(name)!);

        return new CommandLine
        {
            Definition = definition,
            Target = Last("target") ?? definition.DefaultTarget,
            TargetGiven = Last("target") is not null,
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

    /// <summary>" Did you mean --x=VALUE?" for the suite's valued option starting with e (what -e=VALUE usually
    /// meant).</summary>
    private static string MeantOption(CommandLineDefinition definition, string value) =>
        definition.Options.FirstOrDefault(o => !o.IsSwitch && o.Name.StartsWith('e')) is { } meant
            ? $" Did you mean --{meant.Name}={value}?"
            : "";

    private static (string Key, string Value, bool HasValue) SplitOption(string text, string word)
    {
        var eq = text.IndexOf('=');
        var key = eq < 0 ? text : text[..eq];
        if (key.Length == 0) throw new CommandLineException($"Option '{word}' has no name.");
        return (key, eq < 0 ? "" : text[(eq + 1)..], eq >= 0);
    }

    private static bool ParseSwitch(string name, string value)
    {
        if (value.Length == 0)
            return true;
        if (bool.TryParse(value, out var b))
            return b;
        throw new CommandLineException(
            $"--{name} is a switch: give it alone or as --{name}=true|false, not '{value}'."
        );
    }

    public static Cake.Core.Diagnostics.Verbosity ParseVerbosity(string value) =>
        value.ToLowerInvariant() switch
        {
            "q" or "quiet" => Cake.Core.Diagnostics.Verbosity.Quiet,
            "m" or "minimal" => Cake.Core.Diagnostics.Verbosity.Minimal,
            "n" or "normal" => Cake.Core.Diagnostics.Verbosity.Normal,
            "v" or "verbose" => Cake.Core.Diagnostics.Verbosity.Verbose,
            "d" or "diag" or "diagnostic" => Cake.Core.Diagnostics.Verbosity.Diagnostic,
            _ => throw new CommandLineException(
                $"Unknown verbosity '{value}'. Valid: quiet, minimal, normal, verbose, diagnostic."
            ),
        };

    private static string Example(GlobalOption option) => option.Example ?? option.Name switch
    {
        "verbosity" => "verbose",
        "working" => "path/to/folder",
        _ => option.Placeholder ?? "true",
    };
}
