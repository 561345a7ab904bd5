namespace Build.Deploy.Steps;

/// <summary>Renders steps into one script with the shared prelude, checking each step's declared inputs.</summary>
public static class RemoteScript
{
    /// <summary>What the prelude (Scripts/prelude.sh and its parameters) gives every step.</summary>
    public static readonly IReadOnlyList<string> PreludeProduces =
    [
        "step",
        "out",
        "fail",
        "fail_with",
        "alive",
        "manifest_commit",
        "commit_sed",
        "pm2",
        "pm2_save",
        "pm2_home",
        "pm2_command",
        "step_marker",
        "out_marker",
        "error_marker",
        "alive_marker",
    ];

    public static string Render(DeploySettings settings, params IRemoteStep[] steps) =>
        Render(settings, (IEnumerable<IRemoteStep>)steps);

    /// <exception cref="RemoteStepOrderException">A step needs what no earlier step produced, or sets a parameter over
    /// a variable an earlier step produced.</exception>
    public static string Render(DeploySettings settings, IEnumerable<IRemoteStep> steps)
    {
        var list = steps.ToList();
        var script = new ScriptWriter();
        // The script arrives on stdin (bash -s). In one { } block bash parses all of it before running any of it, and
        // with stdin on /dev/null no command (sudo, pm2, ...) can swallow the rest of the script as input.
        script.Lines("{", "exec </dev/null", "set -euo pipefail", "umask 022");
        script
            .Set("step_marker", Shell.StepMarker)
            .Set("out_marker", Shell.OutputMarker)
            .Set("error_marker", Shell.ErrorMarker)
            .Set("alive_marker", Shell.AliveMarker)
            .Set("commit_sed", CommitSed)
            .Set("pm2_command", settings.Pm2Command);
        if (settings.Pm2Home is { Length: > 0 } home)
            script.Set("pm2_home", home);
        else
            script.Line("pm2_home=\"${HOME:-/root}/.pm2\"");
        script.Include("prelude.sh");
        script.TakeAssigned();

        // Which step produced each variable so far.
        var producedBy = PreludeProduces.ToDictionary(n => n, _ => "the prelude", StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var step = list[i];
            foreach (var need in step.Needs)
                if (!producedBy.ContainsKey(need))
                    throw new RemoteStepOrderException(
                        step.Name,
                        need,
                        $"Remote step '{step.Name}' ({step.GetType().Name}) needs ${need}, which no earlier step " +
                        "produces. "
                            + $"Steps in order: {Describe(list, i)}. Put a step that produces ${need} before '" +
                            $"{step.Name}'."
                    );
            script.Line($"step {Shell.Quote(step.Name)}");
            step.Render(script);
            foreach (var parameter in script.TakeAssigned().Distinct())
                if (producedBy.TryGetValue(parameter, out var producer) && !step.Produces.Contains(parameter))
                    throw new RemoteStepOrderException(
                        step.Name,
                        parameter,
                        $"Remote step '{step.Name}' ({step.GetType().Name}) sets its parameter ${parameter} over the " +
                        $"${parameter} that "
                            + $"{(producer == "the prelude" ? producer : $"step '{producer}'")} produced: rename the " +
                            "parameter."
                    );
            foreach (var product in step.Produces)
                producedBy[product] = step.Name;
        }
        script.Line("}");
        return script.ToString();
    }

    private static string Describe(IReadOnlyList<IRemoteStep> steps, int failing) =>
        string.Join(", ", steps.Select((s, i) => i == failing ? $"[{s.Name}]" : s.Name));

    /// <summary>sed program printing the first <c>"commit": "&lt;hex&gt;"</c> value and quitting.</summary>
    public const string CommitSed =
        "/\"commit\"[[:space:]]*:/{s/.*\"commit\"[[:space:]]*:[[:space:]]*\"\\([0-9a-fA-F]*\\)\".*/\\1/p;q;}";
}
