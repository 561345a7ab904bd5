using Build.Deploy;

namespace Build.Tests.Deploy;

/// <summary>The head start DeployVps gives each host's shell while it checks the artifact.</summary>
[TestFixture]
public sealed class PreconnectedHostTests
{
    /// <summary>A host whose shells are counted; opening one waits for <see cref="Open"/> (or fails, or never ends).</summary>
    private sealed class CountingHost(Func<CancellationToken, Task>? open = null) : IRemoteHost
    {
        public int Opened;
        public List<FakeShell> Shells { get; } = [];
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Name => "fake";

        public Task<ScriptResult> RunScriptAsync(string script, Action<string>? onOutputLine, CancellationToken cancellationToken) =>
            Task.FromResult(new ScriptResult(0, "", ""));

        public async Task<IRemoteShell> OpenShellAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Opened);
            await (open?.Invoke(cancellationToken) ?? Open.Task);
            var shell = new FakeShell();
            lock (Shells) Shells.Add(shell);
            return shell;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class FakeShell : IRemoteShell
    {
        public bool Disposed { get; private set; }
        public bool HasEnded => Disposed;

        public Task<ScriptResult> RunAsync(string script, ScriptInput? input, Action<string>? onOutputLine, CancellationToken cancellationToken) =>
            Task.FromResult(new ScriptResult(0, "", ""));

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    [Test]
    public async Task The_shell_starts_opening_at_once_and_the_first_caller_gets_it()
    {
        var inner = new CountingHost();
        await using var host = new PreconnectedHost(inner);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref inner.Opened) == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        var openedBeforeAsked = Volatile.Read(ref inner.Opened);
        inner.Open.SetResult();
        var first = await host.OpenShellAsync(CancellationToken.None);
        var second = await host.OpenShellAsync(CancellationToken.None);

        openedBeforeAsked.Should().Be(1, "the shell is opening before anyone asked for it");
        first.Should().BeSameAs(inner.Shells[0]);
        second.Should().NotBeSameAs(first, "only the first caller gets the early shell");
        inner.Opened.Should().Be(2);
    }

    [Test]
    public async Task A_shell_nobody_took_is_closed_with_the_host_and_a_slow_connection_does_not_hold_it_up()
    {
        var opened = new CountingHost();
        opened.Open.SetResult();
        var host = new PreconnectedHost(opened);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (opened.Shells.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        // A host that never answers: its connection waits until it is cancelled.
        var unreachable = new PreconnectedHost(new CountingHost(ct => Task.Delay(Timeout.Infinite, ct)));

        await host.DisposeAsync();
        await unreachable.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        opened.Shells.Should().ContainSingle().Which.Disposed.Should().BeTrue();
    }

    [Test]
    public async Task A_failure_to_open_surfaces_to_the_caller_that_asks_for_the_shell()
    {
        await using var host = new PreconnectedHost(new CountingHost(_ => throw new RemoteHostException("fake: authentication as 'deploy' was refused.")));

        var open = () => host.OpenShellAsync(CancellationToken.None);

        await open.Should().ThrowAsync<RemoteHostException>().WithMessage("*was refused*");
    }
}
