using System.Text;

namespace Build.Host;

internal static class HelpText
{
    public static string For(TaskCatalog catalog, IEnumerable<string>? environments) => $"""
        Release suite for muva-chat: validation, migrations and deploys for local, dev, staging and production.

        Usage: ./build.sh [--target=NAME] [--env=ENV] [options] [--name=value ...]

        Options (Cake.Frosting's names and aliases):
        {Options(environments)}

        Task arguments: each target accepts only the arguments its tasks declare; ./build.sh --help --target=NAME
        lists them. Anything else is refused before anything runs.

        Secrets come from environment variables (or a git-ignored .env.ENV file); see .env.template.

        Targets:
        {string.Join(Environment.NewLine, catalog.Tasks.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => $"  {t.Name,-22}{t.Description}"))}

        Examples:
          ./build.sh                                   Validate the local rehearsal environment
          ./build.sh --target=Validate --env=staging   Check staging's configuration and secrets
          ./build.sh --target=DeployStaging --dryrun   Show what a staging deploy would run
          ./build.sh --help --target=RollbackMigrations  What RollbackMigrations runs and the arguments it takes
        """;

    private static string Options(IEnumerable<string>? environments)
    {
        var lines = CommandLine.GlobalOptions.Select(o =>
        {
            var names = string.Join(", ", o.Aliases.Select(a => a.Length == 1 ? $"-{a}" : $"--{a}"));
            var description = o.Name == "env"
                ? $"Environment: {string.Join(", ", environments ?? ["local", "dev", "staging", "production"])} (default: {CommandLine.DefaultEnvironment})."
                : o.Description;
            return $"  {o.Usage,-20}{description}" + (names.Length > 0 ? $" Also: {names}." : "");
        });
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary><c>--help --target=X</c>: what X does, the tasks it runs, and every argument they accept.</summary>
    public static string ForTarget(TaskCatalog catalog, TaskDefinition target)
    {
        var text = new StringBuilder();
        text.AppendLine($"{target.Name}: {target.Description}");
        text.AppendLine();
        text.AppendLine("Runs (see --tree --target=" + target.Name + "):");
        text.AppendLine(Indent(TaskTree.Render(catalog, target.Name)));
        text.AppendLine();
        var arguments = catalog.Graph(target.Name)
            .SelectMany(t => t.Arguments.Select(a => (Task: t, Argument: a)))
            .GroupBy(p => p.Argument.Name, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (arguments.Count == 0)
            text.AppendLine("Arguments: none besides the options below.");
        else
        {
            text.AppendLine("Arguments:");
            foreach (var group in arguments)
            {
                var first = group.First().Argument;
                var readers = string.Join(", ", group.Select(p => p.Task.Name).Distinct());
                text.AppendLine($"  {ArgumentValues.Usage(first),-24}{first.Description}" +
                                (first.Repeatable ? " May be repeated." : "") + $" [{readers}]");
            }
        }
        text.AppendLine();
        text.AppendLine("Options: " + string.Join(", ", CommandLine.GlobalOptions.Select(o => o.Usage)) + " (see --help).");
        return text.ToString().TrimEnd();
    }

    private static string Indent(string block) => string.Join(Environment.NewLine, block.Split('\n').Select(l => "  " + l.TrimEnd('\r')));
}
