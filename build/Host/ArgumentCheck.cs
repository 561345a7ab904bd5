namespace Build.Host;

/// <summary>
/// Refuses, before anything runs, every task argument that no task of the run declares (with a did-you-mean), a value
/// that does not fit its declared type, and an argument given twice that is not repeatable.
/// </summary>
public static class ArgumentCheck
{
    /// <summary>Checks <paramref name="commandLine"/>'s task arguments against the tasks of <paramref name="target"/>'s
    /// graph, or against every task when <paramref name="target"/> is null (help, tree, version).</summary>
    public static void Check(CommandLine commandLine, TaskCatalog catalog, TaskDefinition? target)
    {
        var graph = target is null ? catalog.Tasks.ToList() : catalog.Graph(target.Name);
        var inGraph = graph.SelectMany(t => t.Arguments.Select(a => (Task: t, Argument: a)))
            .GroupBy(p => p.Argument.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var all = catalog.Arguments;

        foreach (var group in commandLine.TaskArguments.GroupBy(a => a.Key, StringComparer.OrdinalIgnoreCase))
        {
            var name = group.Key;
            if (!inGraph.TryGetValue(name, out var declarations))
            {
                if (all.TryGetValue(name, out var elsewhere))
                    throw new CommandLineException(
                        $"--{name} is not an argument of {target!.Name}: no task it runs reads it. It is read by "
                            + $"{string.Join(", ", elsewhere.Select(d => d.Task.Name))}. See ./build.sh --help " +
                            $"--target={target.Name}."
                    );
                var suggestion = DidYouMean.Closest(
                    name,
                    commandLine.Definition.All.Select(o => o.Name).Concat(inGraph.Keys).Concat(all.Keys)
                );
                throw new CommandLineException(
                    $"Unknown option '--{name}'."
                        + (suggestion is null ? "" : $" Did you mean --{suggestion}?")
                        + $" See ./build.sh --help{(target is null ? "" : $" --target={target.Name}")}."
                );
            }
            var argument = declarations[0].Argument;
            var values = group.Select(p => p.Value).ToList();
            if (values.Count > 1 && !declarations.Any(d => d.Argument.Repeatable))
                throw new CommandLineException($"--{name} is given {values.Count} times: give it once.");
            foreach (var value in values)
                if (ArgumentValues.Problem(argument, value) is { } problem)
                    throw new CommandLineException(problem);
        }
    }
}
