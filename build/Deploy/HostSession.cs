using Build.Deploy.Steps;

namespace Build.Deploy;

/// <summary>
/// Runs phases (one rendered script each) on one target and turns failures into <see cref="DeployException"/>s. With
/// <c>oneShell</c>, every phase runs in one shell on one connection (<see cref="IRemoteHost.OpenShellAsync"/>), opened
/// by the first phase and opened again after the connection was lost; otherwise each phase is a script of its own.
/// </summary>
internal sealed partial class HostSession(DeployHost target, Action<string> progress, bool oneShell = false) : IAsyncDisposable
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial System.Text.RegularExpressions.Regex Ansi();

    private IRemoteShell? _shell;

    public DeployHost Host => target;

    /// <param name="upload">A file streamed to the phase (its steps read it on fd 3); needs the shell.</param>
    public async Task<PhaseOutput> RunAsync(string phase, IEnumerable<IRemoteStep> steps, CancellationToken cancellationToken, string? upload = null)
    {
        var list = steps.ToList();
        var script = RemoteScript.Render(target.Settings, list);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? step = null;
        ScriptResult result;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var timings = new PhaseTimings();
        void OnLine(string line)
        {
            if (line.StartsWith(Shell.StepMarker, StringComparison.Ordinal))
            {
                step = line[Shell.StepMarker.Length..];
                timings.Mark(step, clock.Elapsed);
            }
            else if (line.StartsWith(Shell.OutputMarker, StringComparison.Ordinal))
            {
                var pair = line[Shell.OutputMarker.Length..].Split('=', 2);
                values[pair[0]] = pair.Length > 1 ? pair[1] : "";
            }
            else if (line.Length > 0 && line != Shell.AliveMarker) progress($"[{target.Name}] {phase}: {Ansi().Replace(line, "")}");
        }
        try
        {
            if (oneShell || upload is not null)
            {
                var input = upload is null ? null : new ScriptInput(upload, UploadProgress());
                // A shell that ended between phases (its connection was cut while nothing ran) is replaced: no
                // phase was lost with it.
                if (_shell is { HasEnded: true }) await CloseShellAsync();
                if (_shell is null)
                {
                    _shell = await target.Host.OpenShellAsync(cancellationToken);
                    timings.Mark("connect", TimeSpan.Zero);
                }
                timings.Mark("shell", clock.Elapsed);
                try
                {
                    result = await _shell.RunAsync(script, input, OnLine, cancellationToken);
                }
                catch (RemoteHostException)
                {
                    // A shell whose connection broke is not used again: the next phase (an unlock) opens a new one.
                    await CloseShellAsync();
                    throw;
                }
            }
            else
            {
                timings.Mark("connect", TimeSpan.Zero);
                result = await target.Host.RunScriptAsync(script, OnLine, cancellationToken);
            }
        }
        catch (RemoteHostException ex)
        {
            throw new DeployException(target.Name, phase, step, WithoutHost(ex.Message), ex);
        }
        timings.Mark("", clock.Elapsed);
        // One line per phase with where its time went (step by step), so a slow deploy shows its slow part.
        progress($"[{target.Name}] {phase}: {timings.Describe()}");
        if (result.ExitCode != 0)
            throw new DeployException(target.Name, phase, step, Reason(result), exitCode: result.ExitCode);
        return new PhaseOutput(phase, values, list.SelectMany(s => s.Reports).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>"upload: N%" lines, every 10 % and at the end.</summary>
    private Action<long, long> UploadProgress()
    {
        var reported = -1;
        return (sent, total) =>
        {
            var percent = total == 0 ? 100 : (int)(sent * 100 / total);
            if (percent / 10 <= reported / 10 && percent != 100 || percent == reported) return;
            reported = percent;
            progress($"[{target.Name}] upload: {percent}% ({Size(sent)} of {Size(total)})");
        };
    }

    private async Task CloseShellAsync()
    {
        var shell = _shell;
        _shell = null;
        if (shell is not null) await shell.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(CloseShellAsync());

    /// <summary>Transport messages start with the host name, which the phase message already has.</summary>
    private string WithoutHost(string message) =>
        message.StartsWith(target.Name + ": ", StringComparison.Ordinal) ? message[(target.Name.Length + 2)..] : message;

    private static string Size(long bytes) => bytes >= 1 << 20 ? $"{bytes / 1048576.0:0.0} MB" : $"{bytes / 1024.0:0} KB";

    /// <summary>The script's own <c>::error</c> lines, else the end of stderr.</summary>
    private static string Reason(ScriptResult result)
    {
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.StartsWith(Shell.ErrorMarker.Trim(), StringComparison.Ordinal))
            .Select(l => l[Shell.ErrorMarker.Trim().Length..].Trim()).ToList();
        if (errors.Count > 0) return string.Join("; ", errors);
        var tail = lines.TakeLast(5).ToList();
        return tail.Count > 0 ? $"exit code {result.ExitCode}: {string.Join(" | ", tail)}" : $"exit code {result.ExitCode}";
    }
}
