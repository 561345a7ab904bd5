namespace Build;

/// <summary>--env names no environment of the configuration: the value as typed (made harmless by
/// <see cref="TypedText"/>), the valid names, the file they come from and the command that lists them.</summary>
public sealed class UnknownEnvironmentException(
    string name,
    IEnumerable<string> valid,
    string configFile,
    string listCommand
)
    : Exception(
        $"Unknown environment '{TypedText.Show(name)}'. Valid environments: {string.Join(", ", valid)} "
            + $"(the environments of {configFile}; {listCommand} lists them)."
    );
