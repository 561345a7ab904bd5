using System.Text;

namespace Build.Host;

internal static class HelpText
{
    /// <summary><c>--help</c>: the suite's summary, the usage, every option, the suite's notes, the targets and the
    /// suite's examples.</summary>
    public static string For(TaskCatalog catalog, CommandLineDefinition definition, HelpContent? suite)
    {
        var text = new StringBuilder();
        if (suite is not null) text.AppendLine(suite.Summary).AppendLine();
        var suiteOptions = string.Concat(definition.Options.Select(o => $" [{o.Usage}]"));
        text.AppendLine($"Usage: ./build.sh [--target=NAME]{suiteOptions} [options] [--name=value ...]").AppendLine();
        text.AppendLine("Options (Cake.Frosting's names and aliases, then the suite's own):");
        text.AppendLine(Options(definition.All)).AppendLine();
        text.AppendLine(
            "Task arguments: each target accepts only the arguments its tasks declare; ./build.sh --help --target=NAME"
        );
        text.AppendLine("lists them. Anything else is refused before anything runs.").AppendLine();
        foreach (var note in suite?.Notes ?? []) text.AppendLine(note).AppendLine();
        text.AppendLine("Targets:");
        foreach (var task in catalog.Tasks.OrderBy(t => t.Name, StringComparer.Ordinal))
            text.AppendLine($"  {task.Name, -22}{task.Description}");
        if (suite is { Examples.Count: > 0 })
        {
            text.AppendLine().AppendLine("Examples:");
            foreach (var example in suite.Examples) text.AppendLine("  " + example);
        }
        return text.ToString().TrimEnd();
    }

    private static string Options(IEnumerable<GlobalOption> options) =>
        string.Join(
            Environment.NewLine,
            options.Select(o =>
            {
                var names = string.Join(", ", o.Aliases.Select(a => a.Length == 1 ? $"-{a}" : $"--{a}"));
                return $"  {o.Usage, -20}{o.Description}" + (names.Length > 0 ? $" Also: {names}." : "");
            })
        );

    /// <summary><c>--help --target=X</c>: what X does, the tasks it runs, and every argument they accept.</summary>
    public static string ForTarget(TaskCatalog catalog, CommandLineDefinition definition, TaskDefinition target)
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
        text.AppendLine("Options: " + string.Join(", ", definition.All.Select(o => o.Usage)) + " (see --help).");
        return text.ToString().TrimEnd();
    }

    private static string Indent(string block) =>
        string.Join(Environment.NewLine, block.Split('\n').Select(l => "  " + l.TrimEnd('\r')));
}
