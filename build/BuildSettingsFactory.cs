using Build.Ci;
using Build.Configuration;
using Build.Secrets;

namespace Build;

/// <summary>Turns the command line into <see cref="BuildSettings"/>: loads the configuration, picks the environment
/// and opens its secrets (process variables first, then the git-ignored <c>.env.&lt;env&gt;</c>).</summary>
public static class BuildSettingsFactory
{
    public const string DefaultConfigPath = "build/environments.json";

    public static BuildSettings Create(
        RunRequest request,
        string repositoryRoot,
        Func<string, string?> getVariable,
        SecretMasker masker,
        ICiReporter ci,
        Task<EnvironmentsFile>? defaultConfiguration = null
    )
    {
        // A path the user typed is read from where they typed it (or --working); the default from the repository.
        var configPath = Path.GetFullPath(request.ConfigPath ?? DefaultConfigPath,
            request.ConfigPath is null ? repositoryRoot : request.WorkingDirectory);
        // The default file may be read already (Program starts it early, beside the host's own start-up).
        var config = request.ConfigPath is null && defaultConfiguration is not null
            ? defaultConfiguration.GetAwaiter().GetResult()
            : ConfigurationLoader.Load(configPath);
        var environmentName = EnvironmentFor(request);
        if (!config.Environments.TryGetValue(environmentName, out var environment))
        {
            var shownPath =
                Path.GetRelativePath(repositoryRoot, configPath) is var relative && !relative.StartsWith("..")
                    ? relative
                    : configPath;
            var listCommand = request.ConfigPath is null
                ? "./build.sh --help"
                : $"./build.sh --help --config={shownPath}";
            throw new UnknownEnvironmentException(environmentName, config.Environments.Keys, shownPath, listCommand);
        }

        var secrets = OpenSecrets(environment, repositoryRoot, getVariable, masker);
        return new BuildSettings(
            repositoryRoot,
            configPath,
            config,
            environment,
            secrets,
            masker,
            ci,
            getVariable,
            request.DryRun,
            request.WorkingDirectory
        );
    }

    /// <summary>An environment's secrets: its variables from the process first, then its git-ignored
    /// <c>.env.&lt;env&gt;</c>.</summary>
    public static SecretStore OpenSecrets(
        EnvironmentSettings environment,
        string repositoryRoot,
        Func<string, string?> getVariable,
        SecretMasker masker
    )
    {
        var fileName = $".env.{environment.Name}";
        // A tracked secrets file is an incident: stop before reading it, and say how to untrack it and what to rotate.
        SecretFileTracking.RefuseIfTracked(repositoryRoot, fileName);
        var dotEnv = DotEnvFile.Read(Path.Combine(repositoryRoot, fileName), fileName);
        return new SecretStore(
            environment.SecretPrefix,
            variable => getVariable(variable) is { Length: > 0 } value ? value : dotEnv.GetValueOrDefault(variable),
            masker
        );
    }

    /// <summary>--env, or the environment the target is made for; a contradiction between the two is refused.</summary>
    public static string EnvironmentFor(RunRequest request)
    {
        if (request.FixedEnvironment is not { } fixedEnvironment) return request.Environment;
        if (request.EnvironmentGiven && request.Environment != fixedEnvironment)
            throw new InvalidOperationException(
                $"{request.Target} is for '{fixedEnvironment}', but --env={TypedText.Show(request.Environment)} was " +
                "given. "
                    + $"Drop --env, or use the generic target with --env={TypedText.Show(request.Environment)}."
            );
        return fixedEnvironment;
    }
}
