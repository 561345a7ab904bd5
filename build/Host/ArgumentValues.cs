using System.Globalization;

namespace Build.Host;

/// <summary>The value types a task argument may declare, how each is written and checked.</summary>
public static class ArgumentValues
{
    public static bool IsSupported(Type type) =>
        type == typeof(string) || type == typeof(bool) || type == typeof(int) || type == typeof(double);

    public static bool IsSwitch(TaskArgumentAttribute argument) => argument.ValueType == typeof(bool);

    /// <summary>How help shows the argument: <c>--steps=N</c>, <c>--delete</c>.</summary>
    public static string Usage(TaskArgumentAttribute argument) => IsSwitch(argument)
        ? $"--{argument.Name}"
        : $"--{argument.Name}={argument.Placeholder ?? DefaultPlaceholder(argument.ValueType)}";

    private static string DefaultPlaceholder(Type type) =>
        type == typeof(int) ? "N" : type == typeof(double) ? "NUMBER" : "VALUE";

    /// <summary>Null when <paramref name="value"/> fits the declaration, else what is wrong and what to
    /// write.</summary>
    public static string? Problem(TaskArgumentAttribute argument, string value)
    {
        var type = argument.ValueType;
        if (type == typeof(bool))
            return value.Length == 0 || bool.TryParse(value, out _) ? null
                : $"--{argument.Name} is a switch: give it alone or as --{argument.Name}=true|false, not '{value}'.";
        if (value.Length == 0)
            return $"--{argument.Name} needs a value: {Usage(argument)}.";
        if (type == typeof(int))
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null
                : $"--{argument.Name} takes a whole number ({Usage(argument)}), not '{value}'.";
        if (type == typeof(double))
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null
                : $"--{argument.Name} takes a number ({Usage(argument)}), not '{value}'.";
        return null;
    }
}
