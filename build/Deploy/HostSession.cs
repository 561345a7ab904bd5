using Build.Deploy.Steps;

namespace Build.Deploy;

/// <summary>One host to deploy to, with its own layout and process settings.</summary>
public sealed record DeployTarget(IRemoteHost Host, DeploySettings Settings)
{
    public ReleaseLayout Layout { get; } = new(Settings.BasePath);
    public string Name => Host.Name;
}

/// <summary>A phase on a host failed. The message names the host, the phase and the step.</summary>
public sealed class DeployException(string host, string phase, string? step, string reason, Exception? inner = null, int exitCode = -1)
    : Exception($"{host}: {phase}{(step is null || step == phase ? "" : $" (step {step})")} failed: {reason}", inner)
{
    public string Host { get; } = host;
    public string Phase { get; } = phase;
    public string? Step { get; } = step;
    public string Reason { get; } = reason;
    /// <summary>Another deploy holds the host's lock (and did not let go in time).</summary>
    public bool LockHeld => exitCode == AcquireLock.HeldExitCode;
}

/// <summary>The <c>::out key=value</c> lines a phase printed.</summary>
public sealed class PhaseOutput(IReadOnlyDictionary<string, string> values)
{
    public string? this[string key] => values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
    public IReadOnlyList<string> List(string key) => this[key]?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
}

/// <summary>Runs phases (one rendered script each) on one target and turns failures into <see cref="DeployException"/>s.</summary>
internal sealed partial class HostSession(DeployTarget target, Action<string> progress)
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial System.Text.RegularExpressions.Regex Ansi();

    public DeployTarget Target => target;

    public async Task<PhaseOutput> RunAsync(string phase, IEnumerable<IRemoteStep> steps, CancellationToken cancellationToken)
    {
        var script = RemoteScript.Render(target.Settings, steps);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? step = null;
        ScriptResult result;
        try
        {
            result = await target.Host.RunScriptAsync(script, line =>
            {
                if (line.StartsWith(Shell.StepMarker, StringComparison.Ordinal)) step = line[Shell.StepMarker.Length..];
                else if (line.StartsWith(Shell.OutputMarker, StringComparison.Ordinal))
                {
                    var pair = line[Shell.OutputMarker.Length..].Split('=', 2);
                    values[pair[0]] = pair.Length > 1 ? pair[1] : "";
                }
                else if (line.Length > 0 && line != Shell.AliveMarker) progress($"[{target.Name}] {phase}: {Ansi().Replace(line, "")}");
            }, cancellationToken);
        }
        catch (RemoteHostException ex)
        {
            throw new DeployException(target.Name, phase, step, WithoutHost(ex.Message), ex);
        }
        if (result.ExitCode != 0)
            throw new DeployException(target.Name, phase, step, Reason(result), exitCode: result.ExitCode);
        return new PhaseOutput(values);
    }

    public async Task UploadAsync(string localPath, string remotePath, CancellationToken cancellationToken)
    {
        var reported = -1;
        try
        {
            await target.Host.UploadAsync(localPath, remotePath, (sent, total) =>
            {
                var percent = total == 0 ? 100 : (int)(sent * 100 / total);
                if (percent / 10 <= reported / 10 && percent != 100 || percent == reported) return;
                reported = percent;
                progress($"[{target.Name}] upload: {percent}% ({Size(sent)} of {Size(total)})");
            }, cancellationToken);
        }
        catch (RemoteHostException ex)
        {
            throw new DeployException(target.Name, "upload", null, WithoutHost(ex.Message), ex);
        }
    }

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
