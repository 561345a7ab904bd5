using Build.Ci;
using Build.Configuration;
using Build.Host;
using Build.Secrets;

namespace Build;

/// <summary>Turns the command line into <see cref="BuildSettings"/>: loads the configuration, picks the environment
/// and opens its secrets (process variables first, then the git-ignored <c>.env.&lt;env&gt;</c>).</summary>
public static class BuildSettingsFactory
{
    public const string DefaultConfigPath = "build/environments.json";

    public static BuildSettings Create(CommandLine commandLine, string repositoryRoot, HostEnvironment host, SecretMasker masker, ICiReporter ci)
    {
        // A path the user typed is read from where they typed it (or --working); the default from the repository.
        var workingDirectory = commandLine.WorkingDirectory ?? host.WorkingDirectory;
        var configPath = Path.GetFullPath(commandLine.ConfigPath ?? DefaultConfigPath,
            commandLine.ConfigPath is null ? repositoryRoot : workingDirectory);
        var config = ConfigurationLoader.Load(configPath);
        var environmentName = EnvironmentFor(commandLine);
        if (!config.Environments.TryGetValue(environmentName, out var target))
        {
            var shownPath = Path.GetRelativePath(repositoryRoot, configPath) is var relative && !relative.StartsWith("..") ? relative : configPath;
            var listCommand = commandLine.ConfigPath is null ? "./build.sh --help" : $"./build.sh --help --config={shownPath}";
            throw new UnknownEnvironmentException(environmentName, config.Environments.Keys, shownPath, listCommand);
        }

        var secrets = OpenSecrets(target, repositoryRoot, host.GetVariable, masker);
        return new BuildSettings(repositoryRoot, configPath, config, target, secrets, masker, ci, host.GetVariable, commandLine.DryRun, workingDirectory);
    }

    /// <summary>An environment's secrets: its variables from the process first, then its git-ignored <c>.env.&lt;env&gt;</c>.</summary>
    public static SecretStore OpenSecrets(EnvironmentSettings environment, string repositoryRoot, Func<string, string?> getVariable, SecretMasker masker)
    {
        var fileName = $".env.{environment.Name}";
        // A tracked secrets file is an incident: stop before reading it, and say how to untrack it and what to rotate.
        SecretFileTracking.RefuseIfTracked(repositoryRoot, fileName);
        var dotEnv = DotEnvFile.Read(Path.Combine(repositoryRoot, fileName), fileName);
        return new SecretStore(environment.SecretPrefix,
            variable => getVariable(variable) is { Length: > 0 } value ? value : dotEnv.GetValueOrDefault(variable), masker);
    }

    /// <summary>--env, or the environment the target is made for; a contradiction between the two is refused.</summary>
    public static string EnvironmentFor(CommandLine commandLine)
    {
        var explicitEnvironment = commandLine.Arguments.Any(a => a.Key == "env");
        var fixedEnvironment = TaskCatalog.FromAssembly(typeof(BuildSettingsFactory).Assembly).Find(commandLine.Target)?.Type
            .GetCustomAttributes(typeof(TargetEnvironmentAttribute), false).Cast<TargetEnvironmentAttribute>().FirstOrDefault()?.Environment;
        if (fixedEnvironment is null) return commandLine.Environment;
        if (explicitEnvironment && commandLine.Environment != fixedEnvironment)
            throw new InvalidOperationException($"{commandLine.Target} is for '{fixedEnvironment}', but --env={TypedText.Show(commandLine.Environment)} was given. " +
                                                $"Drop --env, or use the generic target with --env={TypedText.Show(commandLine.Environment)}.");
        return fixedEnvironment;
    }
}

/// <summary>An --env the configuration does not have: the value as typed (made harmless by <see cref="TypedText"/>),
/// the valid names, the file they come from and the command that lists them.</summary>
public sealed class UnknownEnvironmentException(string name, IEnumerable<string> valid, string configFile, string listCommand)
    : Exception($"Unknown environment '{TypedText.Show(name)}'. Valid environments: {string.Join(", ", valid)} " +
                $"(the environments of {configFile}; {listCommand} lists them).");
