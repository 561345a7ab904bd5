using System.Text.Json;

namespace Build.Deploy.Steps;

/// <summary>
/// The PM2 ecosystem file of one app: Scripts/ecosystem.config.cjs with its one <c>const app = ...</c> line replaced by
/// this app's values. Blue/green: <c>cwd</c> and <c>script</c> are the release's own folder, so the process a color
/// runs is tied to exactly one release, and a new release is always a fresh <c>pm2 start</c> of the idle color.
/// Reload strategy: both go through <c>current/</c>, spelled as the symlink (not the resolved path), so every
/// <c>pm2 reload</c> starts workers that resolve <c>current</c> again and run the new release.
/// </summary>
public sealed record Pm2Ecosystem(
    string AppName,
    string WorkingDirectory,
    string Entry,
    int Port,
    DeploySettings Settings,
    string SharedEnvFile
)
{
    public const string TemplateFile = "ecosystem.config.cjs";
    private const string ValuesLine = "const app = ";

    public string Render()
    {
        var template = StepScripts.Text(TemplateFile);
        var lines = template.Split('\n');
        var index = Array.FindIndex(lines, l => l.StartsWith(ValuesLine, StringComparison.Ordinal));
        if (index < 0 || Array.FindLastIndex(lines, l => l.StartsWith(ValuesLine, StringComparison.Ordinal)) != index)
            throw new InvalidOperationException(
                $"build/Deploy/Steps/Scripts/{TemplateFile} must have exactly one line starting with '{ValuesLine}'."
            );
        var values = new
        {
            name = AppName,
            cwd = WorkingDirectory,
            entry = Entry,
            port = Port,
            instances = Settings.Instances,
            waitReady = Settings.WaitReady,
            listenTimeoutMs = Settings.ListenTimeoutSeconds * 1000,
            sharedEnv = SharedEnvFile,
        };
        lines[index] = ValuesLine + JsonSerializer.Serialize(values) + ";";
        return string.Join('\n', lines);
    }
}
