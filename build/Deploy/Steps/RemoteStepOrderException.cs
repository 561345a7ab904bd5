namespace Build.Deploy.Steps;

/// <summary>A sequence of steps that cannot work: a step needs a variable no earlier step produced, or sets a
/// parameter over one an earlier step produced. Thrown when the script is rendered, before anything runs.</summary>
public sealed class RemoteStepOrderException(string step, string variable, string message)
    : InvalidOperationException(message)
{
    /// <summary>The step that cannot run where it is.</summary>
    public string Step { get; } = step;

    /// <summary>The script variable or function at issue.</summary>
    public string Variable { get; } = variable;
}
