using System.Reflection;

namespace Build.Host;

/// <summary>Finds the task classes of an assembly and checks that their graph is sound (names unique, every
/// dependency a task, every task described, every argument declared once with one type).</summary>
public sealed class TaskCatalog
{
    private readonly Dictionary<string, TaskDefinition> _byName;

    private TaskCatalog(IEnumerable<TaskDefinition> tasks)
    {
        _byName = new Dictionary<string, TaskDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var task in tasks)
            if (!_byName.TryAdd(task.Name, task))
                throw new InvalidOperationException(
                    $"Two task classes are named '{task.Name}': {_byName[task.Name].Type.FullName} and " +
                    $"{task.Type.FullName}."
                );
    }

    public IReadOnlyCollection<TaskDefinition> Tasks => _byName.Values;

    public IEnumerable<string> Names => _byName.Values.Select(t => t.Name).Order(StringComparer.Ordinal);

    public TaskDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    public static TaskCatalog FromAssembly(Assembly assembly) => FromTypes(assembly.GetTypes());

    public static TaskCatalog FromTypes(IEnumerable<Type> types)
    {
        var taskTypes = types
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFrostingTask).IsAssignableFrom(t))
            .ToList();
        var described = taskTypes.Select(Describe).ToList();
        // A gate runs before every task (with work of its own) whose policy asks for it.
        var definitions = described.Select(d =>
            d.GateFor is not { } gate
                ? d
                : d with
                {
                    Dependees = d
                        .Dependees.Concat(
                            described
                                .Where(t =>
                                    t.HasWork
                                    && t.Changes is { } policy
                                    && (gate == Gate.Approval ? policy.Approval : policy.BackupFirst)
                                )
                                .Select(t => t.Name)
                        )
                        .Distinct(StringComparer.OrdinalIgnoreCase)
                        .ToList(),
                }
        );
        var catalog = new TaskCatalog(definitions);
        catalog.CheckGraph();
        return catalog;
    }

    public static string NameOf(Type type) => type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.Name;

    /// <summary>The tasks a run of <paramref name="target"/> may execute: the target and everything it depends on,
    /// directly or through a dependee edge (X [IsDependeeOf(Y)] runs before Y), in no particular order.</summary>
    public IReadOnlyList<TaskDefinition> Graph(string target)
    {
        var seen = new Dictionary<string, TaskDefinition>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>([target]);
        while (pending.TryPop(out var name))
        {
            if (Find(name) is not { } task || !seen.TryAdd(task.Name, task)) continue;
            foreach (var dependency in DependenciesOf(task)) pending.Push(dependency);
        }
        return seen.Values.ToList();
    }

    /// <summary>The direct dependencies of <paramref name="task"/>, its own and those given by dependee
    /// edges.</summary>
    public IEnumerable<string> DependenciesOf(TaskDefinition task) =>
        task
            .Dependencies.Concat(
                _byName
                    .Values.Where(t => t.Dependees.Contains(task.Name, StringComparer.OrdinalIgnoreCase))
                    .Select(t => t.Name)
            )
            .Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every argument declared by any task, by name, with the tasks that declare it.</summary>
    public IReadOnlyDictionary<
        string,
        IReadOnlyList<(TaskDefinition Task, TaskArgumentAttribute Argument)>
    > Arguments =>
        _byName
            .Values.SelectMany(t => t.Arguments.Select(a => (Task: t, Argument: a)))
            .GroupBy(p => p.Argument.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                g => g.Key,
                g =>
                    (IReadOnlyList<(TaskDefinition, TaskArgumentAttribute)>)
                        g.OrderBy(p => p.Task.Name, StringComparer.Ordinal).ToList(),
                StringComparer.OrdinalIgnoreCase
            );

    private static TaskDefinition Describe(Type type)
    {
        var description = type.GetCustomAttribute<TaskDescriptionAttribute>()?.Description;
        if (string.IsNullOrWhiteSpace(description))
            throw new InvalidOperationException(
                $"Task {type.FullName} has no [TaskDescription]: every target must say what it does."
            );
        var arguments = type.GetCustomAttributes<TaskArgumentAttribute>().ToList();
        foreach (var argument in arguments)
        {
            if (string.IsNullOrWhiteSpace(argument.Description))
                throw new InvalidOperationException(
                    $"Task {type.FullName} declares --{argument.Name} without a description."
                );
            if (
                !string.Equals(argument.Name, argument.Name.ToLowerInvariant(), StringComparison.Ordinal)
                || argument.Name.StartsWith('-')
            )
                throw new InvalidOperationException(
                    $"Task {type.FullName} declares '{argument.Name}': argument names are lower-case, without dashes " +
                    "in front."
                );
            if (CommandLineDefinition.IsHostOption(argument.Name))
                throw new InvalidOperationException(
                    $"Task {type.FullName} declares --{argument.Name}, which is a global option of the host."
                );
            if (!ArgumentValues.IsSupported(argument.ValueType))
                throw new InvalidOperationException(
                    $"Task {type.FullName} declares --{argument.Name} as {argument.ValueType.Name}: use string, " +
                    "bool, int or double."
                );
        }
        return new TaskDefinition(
            NameOf(type),
            description,
            type,
            type.GetCustomAttributes<IsDependentOnAttribute>().Select(a => NameOf(a.Task)).ToList(),
            type.GetCustomAttributes<IsDependeeOfAttribute>().Select(a => NameOf(a.Task)).ToList(),
            type.GetCustomAttribute<ContinueOnErrorAttribute>() is not null,
            arguments,
            type.GetCustomAttribute<ChangesEnvironmentAttribute>() is { } changes
                ? new EnvironmentPolicy(changes.Approval, changes.BackupFirst, changes.Announce)
                : null,
            HasOwnWork(type),
            type.GetCustomAttribute<GateForAttribute>()?.Gate,
            type.GetCustomAttribute<OwnDryRunAttribute>() is not null);
    }

    /// <summary>Overrides Run or RunAsync: an umbrella (a class with only attributes) does not.</summary>
    private static bool HasOwnWork(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            if (
                t.IsGenericType
                && (
                    t.GetGenericTypeDefinition() == typeof(FrostingTask<>)
                    || t.GetGenericTypeDefinition() == typeof(AsyncFrostingTask<>)
                )
            )
                return false;
            var declared = t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            if (declared.Any(m => m.Name is "Run" or "RunAsync")) return true;
        }
        return false;
    }

    private void CheckGraph()
    {
        foreach (var task in _byName.Values)
        foreach (var other in task.Dependencies.Concat(task.Dependees))
            if (!_byName.ContainsKey(other))
                throw new InvalidOperationException(
                    $"Task '{task.Name}' refers to '{other}', which is not a task class."
                );
        foreach (var (name, declarations) in Arguments)
            if (declarations.Select(d => d.Argument.ValueType).Distinct().Count() > 1)
                throw new InvalidOperationException($"--{name} is declared with different types: " +
                    string.Join(", ", declarations.Select(d => $"{d.Task.Name} ({d.Argument.ValueType.Name})")) + ".");
    }
}
