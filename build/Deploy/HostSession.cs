using Build.Deploy.Steps;

namespace Build.Deploy;

/// <summary>Runs phases (one rendered script each) on one host and turns failures into <see cref="DeployException"/>s.</summary>
internal sealed partial class HostSession(DeployHost target, Action<string> progress)
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial System.Text.RegularExpressions.Regex Ansi();

    public DeployHost Host => target;

    public async Task<PhaseOutput> RunAsync(string phase, IEnumerable<IRemoteStep> steps, CancellationToken cancellationToken)
    {
        var list = steps.ToList();
        var script = RemoteScript.Render(target.Settings, list);
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
        return new PhaseOutput(phase, values, list.SelectMany(s => s.Reports).ToHashSet(StringComparer.Ordinal));
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
