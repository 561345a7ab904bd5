using System.Text.RegularExpressions;
using Build.Deploy;
using Build.Deploy.Steps;
using Build.Tests.Infrastructure;

namespace Build.Tests.Deploy;

/// <summary>
/// The remote step model: each step's declared inputs and outputs are checked when a script is rendered, the
/// declarations match what its script reads and sets, and every script file passes bash -n / node --check.
/// </summary>
[TestFixture]
public sealed partial class RemoteStepContractTests
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const string Release = "20260101000000-0123456";

    // A space and a quote in the path: every path in every script must be quoted.
    private static readonly DeploySettings Settings = new()
    {
        BasePath = "/srv/it's www",
        AppName = "muva-chat",
        Ports = [3000, 3001],
        NginxUpstreamFile = "/srv/nginx/up's.conf",
    };

    private static ReleaseLayout Layout => new(Settings.BasePath);

    private static LockHolder Holder() => LockHolder.Create("ci@runner", Commit, DateTimeOffset.UtcNow);

    /// <summary>Every sequence the services send: deploy (lock, release for both strategies), rollback, mark-failed,
    /// finish after verification, unlock, plan, the live color and the rehearsal's PM2 stop.</summary>
    internal static IEnumerable<(string Phase, IRemoteStep[] Steps)> EveryPhase(DeploySettings settings)
    {
        var layout = new ReleaseLayout(settings.BasePath);
        yield return (
            "lock",
            [
                new AcquireLock(layout, Holder(), 10, BreakStale: true),
                new CleanInterrupted(layout),
                new CheckFreeSpace(layout, 1 << 20, 2 << 20),
                new ReadState(layout),
                new HoldLock(),
            ]
        );
        yield return (
            "rollback lock",
            [
                new AcquireLock(layout, Holder(), 10, BreakStale: false),
                new DefineMarkFailed(layout, "o'brien"),
                new MarkFailed(layout, Release, "VerifyDeploy: it's down"),
                new ReadState(layout),
                new HoldLock(),
            ]
        );
        // What DeployService sends: the artifact streamed into the release phase and unpacked as it arrives.
        IRemoteStep[] receive =
        [
            new ReleaseLockOnFailure(layout, "token"),
            new ReceiveRelease(layout, "a.tar.gz", Release, new string('a', 64)),
            new UnpackRelease(layout, Release, Commit, "server.js"),
            new LinkShared(layout, Release, [".env", "config/app.json"], ["uploads"]),
        ];
        foreach (var strategy in new[] { DeployStrategy.BlueGreen, DeployStrategy.Reload })
        {
            var s = settings with { Strategy = strategy };
            yield return (
                $"{strategy} release",
                [
                    .. receive,
                    .. GoLive
                        .For(layout, s, Release, Commit, "20250101000000-0123456", "deploy", "o'brien", "token", 5)
                        .Steps,
                ]
            );
            yield return (
                $"{strategy} release before a verification",
                [
                    .. receive,
                    .. GoLive
                        .For(
                            layout,
                            s,
                            Release,
                            Commit,
                            "20250101000000-0123456",
                            "deploy",
                            "o'brien",
                            "token",
                            5,
                            retireOldColor: false
                        )
                        .Steps,
                ]
            );
            yield return (
                $"{strategy} rollback",
                [
                    new ReleaseLockOnFailure(layout, "token"),
                    .. GoLive
                        .For(layout, s, Release, null, null, "rollback", "o'brien", "token", null, reuseRunning: true)
                        .Steps,
                ]
            );
            yield return (
                $"{strategy} finish",
                [
                    new ReleaseLockOnFailure(layout, "token"),
                    .. GoLive.Finish(layout, s, Release, null),
                    new ReleaseLock(layout, "token"),
                ]
            );
        }
        yield return (
            "unlock",
            [new ReleaseLock(layout, "token") { Leftovers = [layout.UnpackTemp(Release)] }]
        );
        yield return ("state", [new ReadState(layout)]);
        yield return ("clean-local", [new StopPm2Daemon()]);
    }

    private static IEnumerable<DeploySettings> Variants() =>
    [
        Settings,
        Settings with { NginxUpstreamFile = null, Pm2Home = "/srv/pm2 home" },
        Settings with { NginxSwitchCommand = "sudo -n /usr/local/sbin/muva-nginx-switch" },
    ];

    /// <summary>Runs <paramref name="tool"/> (bash -n, node --check) on <paramref name="text"/> written to a scratch
    /// file.</summary>
    private static (int ExitCode, string Error) Check(string tool, string flag, string text, string extension)
    {
        var scratch = Path.Combine(DeployEnvironment.TempRoot, $"check-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(scratch, text);
        try
        {
            var result = ChildProcess.Run(tool, [flag, scratch]);
            return (result.ExitCode, result.Error);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    [Test]
    public void Every_phase_renders_to_a_script_bash_accepts()
    {
        var bash = Require.Tool("bash");
        foreach (var settings in Variants())
            foreach (var (phase, steps) in EveryPhase(settings))
            {
                var (code, error) = Check(bash, "-n", RemoteScript.Render(settings, steps), ".sh");
                code.Should().Be(0, $"phase {phase}: {error}");
            }
    }

    [Test]
    public void Every_script_file_is_embedded_and_passes_bash_n_or_node_check()
    {
        var bash = Require.Tool("bash");
        var node = Require.Tool("node");
        var folder = Path.Combine(Require.RepositoryRoot, "build", "Deploy", "Steps", "Scripts");
        var onDisk = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        StepScripts
            .Names.Should()
            .Equal(onDisk, "every file in build/Deploy/Steps/Scripts is embedded, and nothing else");
        StepScripts.Names.Should().Contain(["prelude.sh", "lock.sh", "start.sh", Pm2Ecosystem.TemplateFile]);
        foreach (var name in StepScripts.Names)
        {
            var (code, error) = Path.GetExtension(name) switch
            {
                ".sh" => Check(bash, "-n", StepScripts.Text(name), ".sh"),
                ".cjs" or ".js" => Check(node, "--check", StepScripts.Text(name), Path.GetExtension(name)),
                _ => (-1, "a script file must be .sh, .js or .cjs"),
            };
            code.Should().Be(0, $"{name}: {error}");
        }
    }

    [Test]
    public void A_rendered_ecosystem_file_passes_node_check()
    {
        var node = Require.Tool("node");
        var rendered = new Pm2Ecosystem(
            "it's-app",
            "/srv/it's www/current",
            "server.js",
            3001,
            Settings,
            "/srv/\"shared\"/.env"
        ).Render();

        var (code, error) = Check(node, "--check", rendered, ".config.js");

        code.Should().Be(0, error);
    }

    [Test]
    public void Every_script_file_is_used_by_a_step()
    {
        var sources = string.Concat(
            Directory
                .GetFiles(Path.Combine(Require.RepositoryRoot, "build", "Deploy", "Steps"), "*.cs")
                .Select(File.ReadAllText)
        );

        foreach (var name in StepScripts.Names)
            sources.Should().Contain($"\"{name}\"", $"{name} is included by a step (or it is dead code)");
    }

    [Test]
    public void A_step_that_needs_what_no_earlier_step_produced_fails_when_the_script_is_rendered()
    {
        // Blue/green's switch without the candidate's start: nothing set $color and $port.
        var goLive = GoLive.For(Layout, Settings, Release, Commit, null, "deploy", "ci", "token", 5).Steps;
        var misOrdered = goLive.Where(s => s is not StartCandidate).ToList();

        var render = () => RemoteScript.Render(Settings, misOrdered);

        var thrown = render.Should().Throw<RemoteStepOrderException>().Which;
        thrown.Step.Should().Be("nginx");
        thrown.Variable.Should().Be("color");
        thrown.Message.Should().Contain("'nginx' (SwitchNginx) needs $color, which no earlier step produces")
            .And.Contain("[nginx]").And.Contain("Put a step that produces $color before 'nginx'");
    }

    [Test]
    public void Steps_in_the_wrong_order_fail_naming_the_step_and_the_variable()
    {
        IRemoteStep[] retireFirst = [new RetireOldColor(Settings), new ReadColors(Layout)];
        IRemoteStep[] holdWithoutLock = [new HoldLock()];
        IRemoteStep[] unpackWithoutReceive = [new UnpackRelease(Layout, Release, Commit, "server.js")];
        IRemoteStep[] receiveWithoutGuard = [new ReceiveRelease(Layout, "a.tar.gz", Release, new string('a', 64))];
        IRemoteStep[] startWithoutProbe =
        [
            new DefineMarkFailed(Layout, "ci"),
            new StartCandidate(Layout, Settings, Release, Commit),
        ];

        Thrown(retireFirst).Should().Be(("retire", "color"));
        Thrown(holdWithoutLock).Should().Be(("hold", "lock_held"));
        Thrown(unpackWithoutReceive).Should().Be(("unpack", "received"));
        Thrown(receiveWithoutGuard).Should().Be(("receive", "cleanup_paths"));
        Thrown(startWithoutProbe).Should().Be(("start", "health_check"));
        RemoteScript
            .Render(Settings, [new ReadColors(Layout), new RetireOldColor(Settings)])
            .Should()
            .Contain("step 'retire'");
    }

    private static (string Step, string Variable) Thrown(IRemoteStep[] steps)
    {
        try
        {
            RemoteScript.Render(Settings, steps);
        }
        catch (RemoteStepOrderException ex)
        {
            return (ex.Step, ex.Variable);
        }
        throw new AssertionException($"rendering {string.Join(", ", steps.Select(s => s.Name))} did not fail");
    }

    [Test]
    public void A_step_parameter_may_not_overwrite_what_an_earlier_step_produced()
    {
        IRemoteStep[] steps =
        [
            new HealthProbe("/api/health", 5),
            new DefineMarkFailed(Layout, "ci"),
            new StartCandidate(Layout, Settings, Release, Commit),
            new SetsPort(),
        ];

        var render = () => RemoteScript.Render(Settings, steps);

        render
            .Should()
            .Throw<RemoteStepOrderException>()
            .WithMessage(
                "Remote step 'sets-port' (SetsPort) sets its parameter $port over the $port that step 'start' produced*"
            );
    }

    private sealed record SetsPort : IRemoteStep
    {
        public string Name => "sets-port";
        public IReadOnlyCollection<string> Needs => [];
        public IReadOnlyCollection<string> Produces => [];
        public void Render(ScriptWriter script) => script.Set("port", 1);
    }

    /// <summary>Every remote action goes through <c>HostSession</c> (steps rendered by <see cref="RemoteScript"/>), and
    /// the layout's file names are spelled in <see cref="ReleaseLayout"/> only.</summary>
    [Test]
    public void Only_the_host_session_sends_scripts_and_only_the_layout_names_its_files()
    {
        var root = Require.RepositoryRoot;
        var sources = Directory
            .GetFiles(Path.Combine(root, "build"), "*.*", SearchOption.AllDirectories)
            .Where(f =>
                !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
            )
            .Where(f =>
                f.EndsWith(".cs", StringComparison.Ordinal)
                || f.EndsWith(".sh", StringComparison.Ordinal)
                || f.EndsWith(".cjs", StringComparison.Ordinal)
            )
            // Code only: a comment may mention a file name.
            .Select(f =>
                (
                    File: Path.GetRelativePath(root, f),
                    Text: string.Join(
                        '\n',
                        File.ReadLines(f)
                            .Where(l =>
                                !l.TrimStart().StartsWith("//", StringComparison.Ordinal)
                                && !l.TrimStart().StartsWith('#')
                            )
                    )
                )
            )
            .ToList();

        sources
            .Where(s => s.Text.Contains(".RunScriptAsync("))
            .Select(s => s.File)
            .Should()
            .Equal(["build/Deploy/HostSession.cs"]);
        foreach (var name in new[] { ".live-color", ".current.tmp", ".deploy-lock", "revisions.log\"" })
            sources
                .Where(s => s.Text.Contains(name))
                .Select(s => s.File)
                .Should()
                .Equal(["build/Deploy/ReleaseLayout.cs"], $"{name} is part of the layout");
    }

    [Test]
    public async Task Reading_a_key_no_step_of_the_phase_reports_fails_naming_the_phase()
    {
        var basePath = Path.Combine(DeployEnvironment.TempRoot, $"reports {Guid.NewGuid():N}");
        var host = new DeployHost(new LocalHost(), Settings with { BasePath = basePath });
        var session = new HostSession(host, _ => { });

        var state = await session.RunAsync("state", [new ReadState(host.Layout)], CancellationToken.None);
        var clean = await session.RunAsync("clean", [new CleanInterrupted(host.Layout)], CancellationToken.None);

        state["current"].Should().BeNull("nothing is deployed there");
        state.List("releases").Should().BeEmpty();
        var read = () => clean["current"];
        read.Should()
            .Throw<InvalidOperationException>()
            .WithMessage("Phase 'clean' has no step that reports 'current' (its steps report: nothing).");
    }

    /// <summary>Variables a script may read without anyone setting them: the environment and bash's own.</summary>
    private static readonly HashSet<string> Environment = ["HOME", "PATH", "USER", "LOGNAME", "LANG", "SECONDS"];

    [GeneratedRegex(@"\$\{?#?([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Read();

    [GeneratedRegex(@"(?m)(?:^\s*|\bthen\s+|\belse\s+|;\s*|&&\s*)out ([A-Za-z_][A-Za-z0-9_]*) ")]
    private static partial Regex Reported();

    [GeneratedRegex(@"\(\(([^()]*)\)\)")]
    private static partial Regex Arithmetic();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(
        @"(?<![\w$#-])([A-Za-z_][A-Za-z0-9_]*)(?:\+?=|\(\))|\bfor ([A-Za-z_][A-Za-z0-9_]*) in|\bread -r(?: -d '')? " +
        @"([A-Za-z_][A-Za-z0-9_]*)|\blocal ([A-Za-z_][A-Za-z0-9_ ]*)"
    )]
    private static partial Regex Assigned();

    /// <summary>
    /// Keeps the declarations true: whatever a step's bash reads that neither it (its parameters, its own
    /// assignments) nor the prelude sets is one of its <see cref="IRemoteStep.Needs"/>; every need is used, and every
    /// product is set or defined by the step.
    /// </summary>
    [Test]
    public void Every_step_declares_what_it_reads_from_earlier_steps_and_what_it_produces()
    {
        var checkedSteps = new HashSet<string>();
        foreach (var settings in Variants())
        foreach (var (phase, steps) in EveryPhase(settings))
        foreach (var step in steps)
        {
            var writer = new ScriptWriter();
            step.Render(writer);
            var text = writer.ToString();
            var assigned = Assigned()
                .Matches(text)
                .SelectMany(m =>
                    m.Groups.Values.Skip(1)
                        .Where(g => g.Success)
                        .SelectMany(g => g.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                )
                .ToHashSet();
            var reads = Read()
                .Matches(text)
                .Select(m => m.Groups[1].Value)
                .Concat(
                    Arithmetic()
                        .Matches(text)
                        .SelectMany(m => Identifier().Matches(m.Groups[1].Value).Select(i => i.Value))
                )
                .ToHashSet();
            var undeclared = reads
                .Where(r =>
                    !assigned.Contains(r)
                    && !Environment.Contains(r)
                    && !RemoteScript.PreludeProduces.Contains(r)
                    && !step.Needs.Contains(r)
                )
                .ToList();

            undeclared
                .Should()
                .BeEmpty(
                    $"step '{step.Name}' ({step.GetType().Name}, phase {phase}) reads these without declaring them " +
                    "as Needs"
                );
            foreach (var need in step.Needs)
                text.Should()
                    .MatchRegex($@"\b{need}\b", $"step '{step.Name}' declares it needs {need}, so its script uses it");
            foreach (var product in step.Produces)
                assigned
                    .Should()
                    .Contain(
                        product,
                        $"step '{step.Name}' declares it produces {product}, so its script sets or defines it"
                    );
            var comments = string.Join(" ", text.Split('\n').Where(l => l.TrimStart().StartsWith('#')));
            var parameters = writer.TakeAssigned().ToHashSet();
            parameters
                .Concat(step.Needs)
                .Concat(step.Produces)
                .Where(name => !Regex.IsMatch(comments, $@"\b{name}\b"))
                .Should()
                .BeEmpty(
                    $"the script of step '{step.Name}' says in its header comment what each parameter, need and " +
                    "product is"
                );
            var printed = Reported().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
            printed
                .Should()
                .BeEquivalentTo(step.Reports, $"step '{step.Name}' declares exactly the ::out keys its script prints");
            checkedSteps.Add(step.GetType().Name);
        }

        var stepTypes = typeof(IRemoteStep)
            .Assembly.GetTypes()
            .Where(t => typeof(IRemoteStep).IsAssignableFrom(t) && !t.IsInterface)
            .Select(t => t.Name);
        checkedSteps.Should().BeEquivalentTo(stepTypes, "every step type takes part in a phase checked here");
    }
}
