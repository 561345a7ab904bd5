using System.Globalization;
using System.Text;

namespace Build.Deploy;

/// <summary>
/// The protocol of <see cref="IRemoteShell"/> over a running <c>bash -s</c>'s stdin, stdout and stderr (an SSH exec
/// channel, or a local process). Each script is sent wrapped in a subshell, followed by a marker line on stdout (with
/// its exit code) and on stderr; the marker carries a random nonce, so no script output can fake the end of a phase.
/// Streamed input goes through <c>head -c N</c> into the script's fd 3, and whatever the script leaves unread is
/// drained: the outer bash only ever reads the wrappers as commands. Bash reads a script from a pipe one byte at a
/// time, so it never takes bytes meant for <c>head</c>.
/// </summary>
internal sealed class ShellSession : IRemoteShell
{
    private readonly string _name;
    private readonly Stream _stdin;
    private readonly Func<Exception?> _broken;
    private readonly Func<ValueTask> _close;
    private readonly string _marker = "::phase-end-" + Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly object _gate = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private Phase? _phase;
    private Exception? _ended;
    private bool _disposed;

    private sealed class Phase(Action<string>? onLine)
    {
        public Action<string>? OnLine { get; } = onLine;
        public StringBuilder Output { get; } = new();
        public StringBuilder Error { get; } = new();
        public TaskCompletionSource<int> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource ErrorEnd { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <param name="broken">Polled while a phase runs: a reason when the transport is gone (a dead link does not
    /// always end the streams).</param>
    /// <param name="close">Ends the shell (closes its stdin, then the transport).</param>
    public ShellSession(string name, Stream stdin, Stream stdout, Stream stderr, Func<Exception?> broken, Func<ValueTask> close)
    {
        _name = name;
        _stdin = stdin;
        _broken = broken;
        _close = close;
        _stdoutPump = Task.Run(() => PumpAsync(stdout, OnStdout), CancellationToken.None);
        _stderrPump = Task.Run(() => PumpAsync(stderr, OnStderr), CancellationToken.None);
    }

    /// <summary>Also true when the transport reports its connection gone before the streams noticed (SSH.NET does not
    /// always end a channel's streams when the TCP connection dies).</summary>
    public bool HasEnded
    {
        get
        {
            lock (_gate) if (_ended is not null || _disposed) return true;
            return _broken() is not null;
        }
    }

    public async Task<ScriptResult> RunAsync(string script, ScriptInput? input, Action<string>? onOutputLine, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var phase = new Phase(onOutputLine);
            lock (_gate)
            {
                if (_ended is not null) throw Lost(_ended);
                ObjectDisposedException.ThrowIf(_disposed, this);
                _phase = phase;
            }
            try
            {
                await SendAsync(Wrap(script, input?.Length), input, cancellationToken);
                var exit = await WaitAsync(phase, cancellationToken);
                return new ScriptResult(exit, phase.Output.ToString(), phase.Error.ToString());
            }
            catch (OperationCanceledException)
            {
                // A phase cut short leaves the shell in an unknown state: it is not used again.
                await DisposeAsync();
                throw;
            }
            finally
            {
                lock (_gate) _phase = null;
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>The script in a subshell with stdin on /dev/null (fd 3: the streamed input), then the end markers.
    /// Bash reads commands from a pipe one byte per read() (so that it never takes bytes meant for the next reader),
    /// which for a release script of ~20 KB is ~20,000 system calls, up to a second on a loaded host; so the script
    /// is read whole by <c>head -c</c> into a variable first, and run with <c>eval</c>.</summary>
    private string Wrap(string script, long? inputLength)
    {
        var body = script.EndsWith('\n') ? script : script + "\n";
        var text = new StringBuilder();
        text.Append("phase_script=$(head -c ").Append(Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture)).Append(")\n")
            .Append(body);
        var markers = $"printf '\\n%s %d\\n' {Shell.Quote(_marker)} \"$?\"; printf '\\n%s\\n' {Shell.Quote(_marker)} >&2\n";
        if (inputLength is { } length)
            text.Append("head -c ").Append(length.ToString(CultureInfo.InvariantCulture))
                .Append(" | { ( eval \"$phase_script\" ) 3<&0 </dev/null; phase_status=$?; cat >/dev/null; exit \"$phase_status\"; }; ")
                .Append(markers);
        else
            text.Append("( eval \"$phase_script\" ) </dev/null; ").Append(markers);
        return text.ToString();
    }

    private async Task SendAsync(string wrapper, ScriptInput? input, CancellationToken cancellationToken)
    {
        try
        {
            await _stdin.WriteAsync(Encoding.UTF8.GetBytes(wrapper), cancellationToken);
            if (input is not null)
            {
                await using var source = new FileStream(input.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                var total = source.Length;
                var buffer = new byte[1 << 16];
                long sent = 0;
                int read;
                while (sent < total && (read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, total - sent)), cancellationToken)) > 0)
                {
                    await _stdin.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    sent += read;
                    input.OnProgress?.Invoke(sent, total);
                }
                if (sent < total) throw new IOException($"{input.LocalPath} got shorter while it was sent ({sent} of {total} bytes).");
            }
            await _stdin.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException || IsTransport(ex))
        {
            throw Lost(_ended ?? ex);
        }
    }

    private async Task<int> WaitAsync(Phase phase, CancellationToken cancellationToken)
    {
        var both = Task.WhenAll(phase.Exit.Task, phase.ErrorEnd.Task);
        while (!both.IsCompleted)
        {
            await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            if (!both.IsCompleted && _broken() is { } reason) throw Lost(reason);
        }
        await both;
        return phase.Exit.Task.Result;
    }

    private void OnStdout(string line)
    {
        Phase? phase;
        lock (_gate) phase = _phase;
        if (phase is null) return;
        if (line.StartsWith(_marker + " ", StringComparison.Ordinal)
            && int.TryParse(line.AsSpan(_marker.Length + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
        {
            phase.Exit.TrySetResult(code);
            return;
        }
        phase.Output.Append(line).Append('\n');
        phase.OnLine?.Invoke(line);
    }

    private void OnStderr(string line)
    {
        Phase? phase;
        lock (_gate) phase = _phase;
        if (phase is null) return;
        if (line == _marker) phase.ErrorEnd.TrySetResult();
        else phase.Error.Append(line).Append('\n');
    }

    private async Task PumpAsync(Stream stream, Action<string> onLine)
    {
        Exception reason;
        try
        {
            using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, 1 << 12, leaveOpen: true);
            while (await reader.ReadLineAsync(CancellationToken.None) is { } line) onLine(line);
            reason = new IOException("the shell ended");
        }
        catch (Exception ex)
        {
            reason = ex;
        }
        Phase? phase;
        lock (_gate)
        {
            _ended ??= reason;
            phase = _phase;
        }
        // The shell is gone (connection lost, bash killed): the phase running now will never print its marker.
        phase?.Exit.TrySetException(Lost(reason));
        phase?.ErrorEnd.TrySetException(Lost(reason));
    }

    private RemoteHostException Lost(Exception reason) =>
        reason as RemoteHostException ?? new RemoteHostException($"{_name}: connection lost while a script ran ({reason.Message}).", reason);

    private static bool IsTransport(Exception ex) => ex.GetType().Namespace?.StartsWith("Renci.SshNet", StringComparison.Ordinal) == true
        || ex is System.Net.Sockets.SocketException;

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        try
        {
            await _close();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException || IsTransport(ex))
        {
            // Closing a shell whose transport is already gone.
        }
        await Task.WhenAny(Task.WhenAll(_stdoutPump, _stderrPump), Task.Delay(TimeSpan.FromSeconds(2)));
    }
}
