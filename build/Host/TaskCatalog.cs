using System.Reflection;

namespace Build.Host;

/// <summary>One task class, as read from its attributes.</summary>
public sealed record TaskDefinition(
    string Name,
    string Description,
    Type Type,
    IReadOnlyList<string> Dependencies,
    IReadOnlyList<string> Dependees,
    bool ContinueOnError);

/// <summary>Finds the task classes of an assembly and checks that their graph is sound (names unique, every
/// dependency a task, every task described).</summary>
public sealed class TaskCatalog
{
    private readonly Dictionary<string, TaskDefinition> _byName;

    private TaskCatalog(IEnumerable<TaskDefinition> tasks)
    {
        _byName = new Dictionary<string, TaskDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var task in tasks)
            if (!_byName.TryAdd(task.Name, task))
                throw new InvalidOperationException($"Two task classes are named '{task.Name}': {_byName[task.Name].Type.FullName} and {task.Type.FullName}.");
    }

    public IReadOnlyCollection<TaskDefinition> Tasks => _byName.Values;

    public IEnumerable<string> Names => _byName.Values.Select(t => t.Name).Order(StringComparer.Ordinal);

    public TaskDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    public static TaskCatalog FromAssembly(Assembly assembly) => FromTypes(assembly.GetTypes());

    public static TaskCatalog FromTypes(IEnumerable<Type> types)
    {
        var taskTypes = types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFrostingTask).IsAssignableFrom(t)).ToList();
        var catalog = new TaskCatalog(taskTypes.Select(Describe));
        catalog.CheckGraph();
        return catalog;
    }

    public static string NameOf(Type type) => type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.Name;

    private static TaskDefinition Describe(Type type)
    {
        var description = type.GetCustomAttribute<TaskDescriptionAttribute>()?.Description;
        if (string.IsNullOrWhiteSpace(description))
            throw new InvalidOperationException($"Task {type.FullName} has no [TaskDescription]: every target must say what it does.");
        return new TaskDefinition(
            NameOf(type),
            description,
            type,
            type.GetCustomAttributes<IsDependentOnAttribute>().Select(a => NameOf(a.Task)).ToList(),
            type.GetCustomAttributes<IsDependeeOfAttribute>().Select(a => NameOf(a.Task)).ToList(),
            type.GetCustomAttribute<ContinueOnErrorAttribute>() is not null);
    }

    private void CheckGraph()
    {
        foreach (var task in _byName.Values)
            foreach (var other in task.Dependencies.Concat(task.Dependees))
                if (!_byName.ContainsKey(other))
                    throw new InvalidOperationException($"Task '{task.Name}' refers to '{other}', which is not a task class.");
    }
}
