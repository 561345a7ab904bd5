using System.Text;
using System.Text.RegularExpressions;
using Build.Deploy.Steps;

namespace Build.Deploy;

/// <summary>
/// Collects the lines of one remote script. A step sets its parameters (<see cref="Set(string, string?)"/>: quoted
/// bash assignments) and then includes its script file (<see cref="Include"/>, an embedded resource under
/// <c>build/Deploy/Steps/Scripts/</c>). <see cref="ToString"/> is what runs.
/// </summary>
public sealed partial class ScriptWriter
{
    private readonly StringBuilder _text = new();
    private readonly List<string> _assigned = [];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    public ScriptWriter Line(string line = "")
    {
        _text.Append(line).Append('\n');
        return this;
    }

    public ScriptWriter Lines(params string[] lines)
    {
        foreach (var line in lines) Line(line);
        return this;
    }

    /// <summary>A parameter of the step being rendered: <c>name='value'</c> (empty for null).</summary>
    public ScriptWriter Set(string name, string? value) => Assign(name, Shell.Quote(value ?? ""));

    public ScriptWriter Set(string name, long value) =>
        Assign(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A flag: <c>1</c> or empty (tested with <c>[ -n "$name" ]</c>).</summary>
    public ScriptWriter Set(string name, bool value) => Assign(name, value ? "1" : "''");

    /// <summary>A bash array parameter: <c>name=('a' 'b')</c>.</summary>
    public ScriptWriter SetArray(string name, IEnumerable<string> values) =>
        Assign(name, "(" + string.Join(" ", values.Select(Shell.Quote)) + ")");

    /// <summary>A function wrapping a command from the configuration (a reload command, a sudo helper): called with
    /// the function's arguments appended.</summary>
    public ScriptWriter Function(string name, string command) =>
        Assign(name, null, $"{name}() {{ {command} \"$@\" ; }}");

    /// <summary>The text of a script file of <see cref="StepScripts"/>.</summary>
    public ScriptWriter Include(string file)
    {
        _text.Append(StepScripts.Text(file).TrimEnd('\n')).Append('\n');
        return this;
    }

    /// <summary>The names <see cref="Set(string, string?)"/> and its kin assigned since the last call.</summary>
    internal IReadOnlyList<string> TakeAssigned()
    {
        var names = _assigned.ToList();
        _assigned.Clear();
        return names;
    }

    private ScriptWriter Assign(string name, string? value, string? line = null)
    {
        if (!Identifier().IsMatch(name))
            throw new ArgumentException($"'{name}' is not a bash variable name.", nameof(name));
        _assigned.Add(name);
        return Line(line ?? $"{name}={value}");
    }

    public override string ToString() => _text.ToString();
}
