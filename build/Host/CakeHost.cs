using System.Reflection;
using System.Runtime.ExceptionServices;
using Cake.Cli;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Spectre.Console;

namespace Build.Host;

/// <summary>
/// Runs typed task classes on Cake.Core's own engine (<see cref="CakeEngine"/>, <see cref="DefaultExecutionStrategy"/>,
/// Cake.Cli's tree/description/dry-run hosts and report printer). Mirrors Cake.Frosting's public shape so that moving
/// to it later means deleting this folder and adding the package.
/// </summary>
public sealed class CakeHost<TContext> where TContext : ICakeContext
{
    private readonly Assembly _tasksAssembly;
    private readonly IReadOnlyList<Type> _taskTypes;

    /// <summary>A host for every task class of <paramref name="tasksAssembly"/>.</summary>
    public CakeHost(Assembly tasksAssembly) : this(tasksAssembly, tasksAssembly.GetTypes()) { }

    /// <summary>A host for the task classes among <paramref name="taskTypes"/> (tests build small graphs this
    /// way).</summary>
    public CakeHost(Assembly versionSource, IEnumerable<Type> taskTypes)
    {
        _tasksAssembly = versionSource;
        _taskTypes = taskTypes.ToList();
    }

    /// <summary>Builds the typed context once the command line is known. May throw to refuse the run (unknown
    /// environment, broken configuration); the message is printed and the run exits 1.</summary>
    public required Func<ICakeContext, CommandLine, TContext> ContextFactory { get; init; }
    public FrostingLifetime<TContext>? Lifetime { get; init; }
    public FrostingTaskLifetime<TContext>? TaskLifetime { get; init; }
    /// <summary>Wraps stdout and stderr for the whole run (secret masking).</summary>
    public Func<TextWriter, TextWriter>? OutputFilter { get; init; }
    /// <summary>Called with the exception that failed the run, after it was printed (CI annotations).</summary>
    public Action<Exception>? ErrorReporter { get; init; }
    /// <summary>The suite's default target and options of its own (Cake.Frosting's are the host's).</summary>
    public CommandLineDefinition CommandLineDefinition { get; init; } = new();
    /// <summary>The suite's part of --help, built only when help is shown (it may read the configuration).</summary>
    public Func<CommandLine, HelpContent>? Help { get; init; }
    public HostEnvironment Environment { get; init; } = HostEnvironment.FromProcess();
    /// <summary>Cake.Frosting's rule instead of ours: a task that overrides OnError has handled its error, and the run
    /// goes on and may exit 0. Tests run the suite this way to prove that no failure depends on our rethrow.</summary>
    internal bool OnErrorHandlesTheError { get; init; }

    public async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var originalOut = Console.Out;
        var originalError = Console.Error;
        if (OutputFilter is not null)
        {
            Console.SetOut(OutputFilter(originalOut));
            Console.SetError(OutputFilter(originalError));
        }
        try
        {
            return await RunFilteredAsync(args);
        }
        finally
        {
            Console.Out.Flush();
            Console.Error.Flush();
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }

    private async Task<int> RunFilteredAsync(IReadOnlyList<string> args)
    {
        CommandLine commandLine;
        TaskCatalog catalog;
        TaskDefinition? target;
        try
        {
            StartupTrace.Mark("host: parsing the command line");
            commandLine = CommandLine.Parse(args, CommandLineDefinition);
            catalog = TaskCatalog.FromTypes(_taskTypes);
            StartupTrace.Mark("host: catalog built");
            if (catalog.Arguments.Keys.FirstOrDefault(CommandLineDefinition.IsOption) is { } taken)
                throw new InvalidOperationException(
                    $"--{taken} is an option of the suite, and " +
                    $"{string.Join(", ", catalog.Arguments[taken].Select(d => d.Task.Name))} declares it as a task " +
                    "argument: rename one."
                );
            target = catalog.Find(commandLine.Target);
            if (target is null && (commandLine.TargetGiven || !IsView(commandLine)))
                throw new CommandLineException(
                    $"Unknown target '{commandLine.Target}'."
                        + (
                            DidYouMean.Closest(commandLine.Target, catalog.Names) is { } closest
                                ? $" Did you mean {closest}?"
                                : ""
                        )
                        + $" Valid targets: {string.Join(", ", catalog.Names)}."
                );
            // Views without --target (help, tree of everything, version) accept any task's argument.
            ArgumentCheck.Check(commandLine, catalog, IsView(commandLine) && !commandLine.TargetGiven ? null : target);
            if (commandLine.WorkingDirectory is { } working)
            {
                var full = System.IO.Path.GetFullPath(working, Environment.WorkingDirectory);
                if (!Directory.Exists(full))
                    throw new CommandLineException($"--working={working}: no such directory ({full}).");
                commandLine = commandLine with { WorkingDirectory = full };
            }
        }
        catch (Exception ex) when (ex is CommandLineException or InvalidOperationException)
        {
            Console.Error.WriteLine($"Error: {ex.Message}");
            return 1;
        }

        if (commandLine.Help)
        {
            Console.Out.WriteLine(commandLine.TargetGiven
                ? HelpText.ForTarget(catalog, CommandLineDefinition, target!)
                : HelpText.For(catalog, CommandLineDefinition, SafeHelp(commandLine)));
            return 0;
        }

        var services = new CakeServices(Environment, commandLine);
        if (commandLine.Version || commandLine.Info)
        {
            var version = _tasksAssembly.GetName().Version?.ToString(3) ?? "0.0.0";
            Console.Out.WriteLine(
                $"Build {version} (Cake.Core {typeof(ICakeContext).Assembly.GetName().Version?.ToString(3)})"
            );
            if (commandLine.Info)
                new InfoFeature(new VersionResolver()).Run(services.Console);
            return 0;
        }

        // --tree --target=X: X's own graph; --tree alone: every target's (Cake's view).
        if (commandLine.Tree && commandLine.TargetGiven)
        {
            Console.Out.WriteLine(TaskTree.Render(catalog, target!.Name));
            return 0;
        }

        // The graph views show every target, so they need no target of their own (a custom graph may lack the default
        // target).
        target ??= catalog.Tasks.First();
        commandLine = commandLine with { Target = target.Name };

        // An umbrella alone runs nothing: --exclusive on it would report a success that never happened.
        if (commandLine.Exclusive && target.IsUmbrella && !(commandLine.Tree || commandLine.Description))
        {
            Console.Error.WriteLine(
                $"Error: {target.Name} has no work of its own: with --exclusive nothing would run. It runs "
                    + string.Join(
                        ", ",
                        catalog
                            .Graph(target.Name)
                            .Where(d => !d.IsUmbrella)
                            .Select(d => d.Name)
                            .Order(StringComparer.Ordinal)
                    )
                    + "; "
                    + $"drop --exclusive, or give one of those with --exclusive."
            );
            return 1;
        }

        StartupTrace.Mark("host: Cake services");
        var engine = new CakeEngine(services.Data, services.Log);
        var cakeContext = services.CreateContext();
        StartupTrace.Mark("host: Cake context");

        // The graph views need no environment, configuration or secrets: they run even when those are broken.
        if (commandLine.Tree || commandLine.Description)
        {
            Register(
                engine,
                catalog,
                () => throw new InvalidOperationException("Tasks do not run under --tree or --description."),
                _skipReasons
            );
            if (commandLine.Tree)
                await new TreeScriptHost(engine, cakeContext, services.Console).RunTargetAsync(target.Name);
            else
                await new DescriptionScriptHost(engine, cakeContext, services.AnsiConsole).RunTargetAsync(target.Name);
            return 0;
        }

        TContext context;
        try
        {
            context = ContextFactory(cakeContext, commandLine);
            StartupTrace.Mark("host: context (configuration, secrets)");
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"Error: {ex.Message}");
            ErrorReporter?.Invoke(ex);
            return 1;
        }

        Register(engine, catalog, () => context, _skipReasons, OnErrorHandlesTheError);
        RegisterLifetimes(engine, context);
        StartupTrace.Mark("host: tasks registered");

        if (commandLine.DryRun && !target.OwnDryRun)
        {
            services.Log.Information(
                "Dry run of target '{0}' for the selected environment: these tasks would run, in this order. Nothing " +
                "is executed or changed.",
                target.Name
            );
            await new DryRunScriptHost<TContext>(engine, context, services.Log).RunTargetAsync(target.Name);
            Console.Out.WriteLine();
            await WritePlanAsync(catalog, target, commandLine.Exclusive, context);
            return 0;
        }

        var report = new CakeReport();
        engine.AfterTaskTeardown += (_, e) => Record(report, e.TaskTeardownContext);
        var settings = new ExecutionSettings().SetTarget(target.Name);
        if (commandLine.Exclusive) settings.UseExclusiveTarget();
        var strategy = new DefaultExecutionStrategy(services.Log, new CakeReportPrinter(services.Console, cakeContext));
        Exception? failure = null;
        try
        {
            await engine.RunTargetAsync(context, strategy, settings);
        }
        catch (Exception ex)
        {
            failure = ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : ex;
        }

        Console.Out.WriteLine();
        new CakeSpectreReportPrinter(services.AnsiConsole).Write(report);
        if (failure is null) return 0;

        Console.Error.WriteLine($"Error: {DescribeFailure(failure, commandLine.Verbosity)}");
        ErrorReporter?.Invoke(failure);
        return 1;
    }

    /// <summary>--dryrun's plan: what each task would do (pending migrations, artifact, hosts, releases),
    /// read-only.</summary>
    private static async Task WritePlanAsync(
        TaskCatalog catalog,
        TaskDefinition target,
        bool exclusive,
        TContext context
    )
    {
        var lines = new List<string>();
        foreach (var definition in exclusive ? [target] : ExecutionOrder(catalog, target))
        {
            var task = (IFrostingTask)Activator.CreateInstance(definition.Type)!;
            IReadOnlyList<string> plan;
            try
            {
                plan = task.ShouldRun(context)
                    ? await task.PlanAsync(context)
                    : [$"skipped: {task.SkipReason(context)}"];
            }
            catch (Exception ex)
            {
                plan = [$"could not be planned: {ex.Message}"];
            }
            if (plan.Count == 0) continue;
            lines.Add($"{definition.Name}:");
            lines.AddRange(plan.Select(l => "  " + l));
        }
        if (lines.Count == 0) return;
        Console.Out.WriteLine("Plan (read-only; nothing was changed):");
        foreach (var line in lines) Console.Out.WriteLine("  " + line);
        Console.Out.WriteLine();
    }

    /// <summary>The order Cake runs a target's graph in: dependencies first, depth first, in declaration
    /// order.</summary>
    private static List<TaskDefinition> ExecutionOrder(TaskCatalog catalog, TaskDefinition target)
    {
        var order = new List<TaskDefinition>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Visit(TaskDefinition task)
        {
            if (!seen.Add(task.Name))
                return;
            foreach (var dependency in catalog.DependenciesOf(task).Select(catalog.Find).OfType<TaskDefinition>())
                Visit(dependency);
            order.Add(task);
        }
        Visit(target);
        return order;
    }

    private static bool IsView(CommandLine commandLine) =>
        commandLine.Help || commandLine.Tree || commandLine.Description || commandLine.Version || commandLine.Info;

    /// <summary>Why each skipped task did not run, as its ShouldRun decided (filled when the criterion is
    /// evaluated).</summary>
    private readonly Dictionary<string, string> _skipReasons = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The suite's help text; when it cannot be built (a broken configuration), the host's alone.</summary>
    private HelpContent? SafeHelp(CommandLine commandLine)
    {
        try { return Help?.Invoke(commandLine); }
        catch { return null; }
    }

    private static string DescribeFailure(Exception ex, Verbosity verbosity) =>
        verbosity >= Verbosity.Diagnostic ? ex.ToString() : ex.Message;

    private void Record(CakeReport report, ITaskTeardownContext info)
    {
        if (info.Skipped)
            report.AddSkipped(
                info.Task.Name,
                _skipReasons.GetValueOrDefault(info.Task.Name, "its ShouldRun returned false")
            );
        else if (info.Successful)
            report.Add(info.Task.Name, info.Duration);
        else
            report.AddFailed(info.Task.Name, info.Duration);
    }

    private void RegisterLifetimes(CakeEngine engine, TContext context)
    {
        if (Lifetime is { } lifetime)
        {
            engine.RegisterSetupAction(info => lifetime.Setup(context, info));
            engine.RegisterTeardownAction(info => lifetime.Teardown(context, info));
        }
        if (TaskLifetime is { } taskLifetime)
        {
            engine.RegisterTaskSetupAction(info => taskLifetime.Setup(context, info));
            engine.RegisterTaskTeardownAction(info => taskLifetime.Teardown(context, info));
        }
    }

    private static void Register(
        CakeEngine engine,
        TaskCatalog catalog,
        Func<TContext> context,
        Dictionary<string, string> skipReasons,
        bool onErrorHandlesTheError = false
    )
    {
        foreach (var definition in catalog.Tasks.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var task = (IFrostingTask)Activator.CreateInstance(definition.Type)!;
            var builder = engine.RegisterTask(definition.Name).Description(definition.Description);
            // A reverse edge (X [IsDependeeOf(Y)]) is registered as the forward edge Y -> X: the same order for the
            // engine, and Cake's tree view, which follows only forward edges, then shows X under Y.
            var dependencies = definition.Dependencies.Concat(
                catalog
                    .Tasks.Where(t => t.Dependees.Contains(definition.Name, StringComparer.OrdinalIgnoreCase))
                    .OrderBy(t => t.GateFor ?? (Gate)int.MaxValue)
                    .ThenBy(t => t.Name, StringComparer.Ordinal)
                    .Select(t => t.Name)
            );
            foreach (var dependency in dependencies.Distinct(StringComparer.OrdinalIgnoreCase))
                builder.IsDependentOn(dependency);
            builder.WithCriteria(_ =>
            {
                var run = task.ShouldRun(context());
                if (!run) skipReasons[definition.Name] = task.SkipReason(context());
                return run;
            });
            builder.Does(async () => await task.RunAsync(context()));
            builder.Finally(() => task.Finally(context()));
            // Cake's engine treats an error handler as "handled": the run would go on and exit 0. Ours calls the
            // task's OnError and rethrows, unless the task is explicitly marked to continue on error.
            var continueOnError = definition.ContinueOnError;
            if (onErrorHandlesTheError)
            {
                // Cake.Frosting registers a handler only for a task that overrides OnError, and that handler handles.
                if (OverridesOnError(definition.Type))
                    builder.OnError((exception, _) => task.OnError(exception, context()));
                continue;
            }
            builder.OnError(
                (exception, cake) =>
                {
                    task.OnError(exception, context());
                    if (continueOnError)
                    {
                        cake.Log.Warning(
                            "Task '{0}' failed and is marked to continue on error: {1}",
                            definition.Name,
                            exception.Message
                        );
                        return;
                    }
                    ExceptionDispatchInfo.Capture(exception).Throw();
                }
            );
        }
    }

    /// <summary>The task class (or a base of its own) overrides OnError.</summary>
    internal static bool OverridesOnError(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Any(m =>
                m.Name == nameof(IFrostingTask.OnError)
                && m.DeclaringType is { } declaring
                && !(
                    declaring.IsGenericType
                    && (
                        declaring.GetGenericTypeDefinition() == typeof(FrostingTask<>)
                        || declaring.GetGenericTypeDefinition() == typeof(AsyncFrostingTask<>)
                    )
                )
            );

    /// <summary>Cake's default services, built by hand: fast to start, nothing resolved by reflection.</summary>
    private sealed class CakeServices
    {
        private readonly HostEnvironment _host;
        private readonly CommandLine _commandLine;

        public CakeServices(HostEnvironment host, CommandLine commandLine)
        {
            _host = host;
            _commandLine = commandLine;
            Environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
            Environment.WorkingDirectory = new DirectoryPath(host.WorkingDirectory);
            Console = host.UseColor ? new CakeConsole(Environment) : new PlainConsole(new CakeConsole(Environment));
            Log = new CakeBuildLog(Console, commandLine.Verbosity);
            Data = new CakeDataService();
            AnsiConsole = Spectre.Console.AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(System.Console.Out),
                ColorSystem = host.UseColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
                Ansi = host.UseColor ? AnsiSupport.Yes : AnsiSupport.No,
            });
            // Logs (CI, a pipe) have no terminal width; Spectre would assume 80 columns and wrap every description.
            if (System.Console.IsOutputRedirected) AnsiConsole.Profile.Width = 140;
        }

        public CakeEnvironment Environment { get; }
        public IConsole Console { get; }
        public ICakeLog Log { get; }
        public ICakeDataService Data { get; }
        public IAnsiConsole AnsiConsole { get; }

        public ICakeContext CreateContext()
        {
            var fileSystem = new FileSystem();
            var globber = new Globber(fileSystem, Environment);
            var arguments = new CakeArguments(
                _commandLine.Arguments.ToLookup(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase)
            );
            var configuration = new CakeConfigurationProvider(fileSystem, Environment).CreateConfiguration(
                new DirectoryPath(_host.WorkingDirectory),
                new Dictionary<string, string>()
            );
            var toolRepository = new ToolRepository(Environment);
            var toolLocator = new ToolLocator(
                Environment,
                toolRepository,
                new ToolResolutionStrategy(fileSystem, Environment, globber, configuration, Log)
            );
            var processRunner = new ProcessRunner(fileSystem, Environment, Log, toolLocator, configuration);
            var toolInstaller = new ToolInstaller(Environment, toolLocator, configuration, Log, []);
            return new CakeContext(
                fileSystem,
                Environment,
                globber,
                Log,
                arguments,
                processRunner,
                new WindowsRegistry(),
                toolLocator,
                Data,
                configuration,
                toolInstaller,
                new EmptyServiceProvider()
            );
        }
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
