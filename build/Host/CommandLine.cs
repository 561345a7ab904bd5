namespace Build.Host;

/// <summary>The command line as Cake users know it: <c>--target=X --env=staging --verbosity=diagnostic --dryrun</c>;
/// every other <c>--key=value</c> becomes a Cake argument (<c>context.Argument("key")</c>).</summary>
public sealed record CommandLine
{
    public const string DefaultTarget = "Validate";
    public const string DefaultEnvironment = "local";

    public string Target { get; init; } = DefaultTarget;
    public string Environment { get; init; } = DefaultEnvironment;
    public string? ConfigPath { get; init; }
    public Cake.Core.Diagnostics.Verbosity Verbosity { get; init; } = Cake.Core.Diagnostics.Verbosity.Normal;
    public bool DryRun { get; init; }
    public bool Tree { get; init; }
    public bool Description { get; init; }
    public bool Exclusive { get; init; }
    public bool Help { get; init; }
    public bool Version { get; init; }
    public bool Info { get; init; }
    /// <summary>Every argument, by lower-case name, including the ones above (as Cake's <c>Argument()</c> sees them).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Arguments { get; init; } = [];

    // Options that take a value also accept it as the next word (--target Deploy).
    private static readonly HashSet<string> ValueOptions = new(StringComparer.OrdinalIgnoreCase)
        { "target", "env", "environment", "config", "verbosity" };

    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
        { ["t"] = "target", ["e"] = "env", ["v"] = "verbosity", ["h"] = "help", ["?"] = "help" };

    /// <summary>Parses <paramref name="args"/>; a problem throws <see cref="CommandLineException"/> naming the word.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Count; i++)
        {
            var word = args[i];
            string key, value;
            if (word.StartsWith("--", StringComparison.Ordinal) && word.Length > 2)
                (key, value) = SplitOption(word[2..]);
            else if (word.StartsWith('-') && word.Length > 1 && !word.StartsWith("--", StringComparison.Ordinal))
            {
                var (shortKey, shortValue) = SplitOption(word[1..]);
                if (!ShortNames.TryGetValue(shortKey, out var longKey))
                    throw new CommandLineException($"Unknown option '{word}'. Use --name=value; see --help.");
                (key, value) = (longKey, shortValue);
            }
            else if (i == 0 && !word.StartsWith('-'))
            {
                // `./build.sh DeployStaging` is a common slip; accept a first bare word as the target.
                pairs.Add(new("target", word));
                continue;
            }
            else
                throw new CommandLineException($"Unexpected word '{word}'. Arguments look like --name=value; see --help.");

            if (value.Length == 0 && ValueOptions.Contains(key) && !word.Contains('='))
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith('-'))
                    throw new CommandLineException($"--{key} needs a value, for example --{key}={Example(key)}.");
                value = args[++i];
            }
            else if (value.Length == 0 && ValueOptions.Contains(key))
                throw new CommandLineException($"--{key} needs a value, for example --{key}={Example(key)}.");
            pairs.Add(new(key.ToLowerInvariant() == "environment" ? "env" : key.ToLowerInvariant(), value));
        }

        string? Last(string name) => pairs.LastOrDefault(p => p.Key == name).Value;
        bool IsSet(string name) => pairs.Any(p => p.Key == name) && ParseFlag(name, Last(name)!);

        return new CommandLine
        {
            Target = Last("target") ?? DefaultTarget,
            Environment = (Last("env") ?? DefaultEnvironment).ToLowerInvariant(),
            ConfigPath = Last("config"),
            Verbosity = Last("verbosity") is { } v ? ParseVerbosity(v) : Cake.Core.Diagnostics.Verbosity.Normal,
            DryRun = IsSet("dryrun") || IsSet("dry-run") || IsSet("whatif") || IsSet("noop"),
            Tree = IsSet("tree"),
            Description = IsSet("description") || IsSet("descriptions") || IsSet("showdescription"),
            Exclusive = IsSet("exclusive"),
            Help = IsSet("help"),
            Version = IsSet("version"),
            Info = IsSet("info"),
            Arguments = pairs,
        };
    }

    private static (string Key, string Value) SplitOption(string text)
    {
        var eq = text.IndexOf('=');
        var key = eq < 0 ? text : text[..eq];
        if (key.Length == 0) throw new CommandLineException($"Option '--{text}' has no name.");
        return (key, eq < 0 ? "" : text[(eq + 1)..]);
    }

    private static bool ParseFlag(string name, string value)
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

    private static string Example(string key) => key.ToLowerInvariant() switch
    {
        "target" => "Validate",
        "env" or "environment" => "staging",
        "config" => "build/environments.json",
        "verbosity" => "verbose",
        _ => "value",
    };
}

/// <summary>A command line that cannot be understood. The message says which word and what to write instead.</summary>
public sealed class CommandLineException(string message) : Exception(message);
