namespace Build.Host;

internal static class HelpText
{
    public static string For(TaskCatalog catalog, IEnumerable<string>? environments) => $"""
        Release suite for muva-chat: validation, migrations and deploys for local, dev, staging and production.

        Usage: ./build.sh [--target=NAME] [--env=ENV] [options] [--name=value ...]

        Options:
          --target=NAME       Target to run (default: {CommandLine.DefaultTarget}). See the list below, or --description.
          --env=ENV           Environment: {string.Join(", ", environments ?? ["local", "dev", "staging", "production"])} (default: {CommandLine.DefaultEnvironment}).
          --config=PATH       Environment file (default: build/environments.json).
          --verbosity=LEVEL   quiet, minimal, normal, verbose or diagnostic (default: normal).
          --dryrun            Say which tasks would run, in order; run none and change nothing.
          --tree              Show the dependency graph of the target.
          --description       List every target with its description.
          --exclusive         Run only the target, not its dependencies.
          --version, --info   Version of the suite and of Cake.
          --help              This text.
          --NAME=VALUE        Any other argument, for the tasks that read it (for example --steps=2, --confirm=production).

        Secrets come from environment variables (or a git-ignored .env.ENV file); see .env.template.

        Targets:
        {string.Join(Environment.NewLine, catalog.Tasks.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => $"  {t.Name,-22}{t.Description}"))}

        Examples:
          ./build.sh                                   Validate the local rehearsal environment
          ./build.sh --target=Validate --env=staging   Check staging's configuration and secrets
          ./build.sh --target=DeployStaging --dryrun   Show what a staging deploy would run
        """;
}
