using System.Text;

namespace Build.Host;

/// <summary>One target's dependency graph as a tree, drawn like Cake's --tree (<c>--tree
/// --target=Deploy</c>).</summary>
public static class TaskTree
{
    public static string Render(TaskCatalog catalog, string target)
    {
        var text = new StringBuilder();
        var root = catalog.Find(target) ?? throw new InvalidOperationException($"Unknown target '{target}'.");
        text.AppendLine(root.Name);
        Children(catalog, root, "", text, [root.Name]);
        return text.ToString().TrimEnd();
    }

    private static void Children(
        TaskCatalog catalog,
        TaskDefinition task,
        string indent,
        StringBuilder text,
        HashSet<string> path
    )
    {
        var children = catalog.DependenciesOf(task).Select(catalog.Find).OfType<TaskDefinition>().ToList();
        for (var i = 0; i < children.Count; i++)
        {
            var last = i == children.Count - 1;
            text.Append(indent).Append(last ? "└─" : "├─").AppendLine(children[i].Name);
            // The catalog has no cycles today; a guard keeps a future one from drawing forever.
            if (path.Add(children[i].Name))
            {
                Children(catalog, children[i], indent + (last ? "  " : "│ "), text, path);
                path.Remove(children[i].Name);
            }
        }
    }
}
