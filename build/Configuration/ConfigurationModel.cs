using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Build.Configuration;

/// <summary>
/// What the C# model of <c>environments.json</c> reads, by reflection: the loader checks a file's structure with it,
/// and the schema tests compare it with <c>environments.schema.json</c>, so both follow the model without a list of
/// their own.
/// </summary>
internal static class ConfigurationModel
{
    /// <summary>The JSON properties of <paramref name="type"/> by their JSON name: every settable property not marked
    /// <see cref="JsonIgnoreAttribute"/> (derived values such as <c>Name</c> or <c>Entry</c> are filled in
    /// later).</summary>
    public static IReadOnlyDictionary<string, PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .ToDictionary(JsonName, StringComparer.Ordinal);

    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    /// <summary>C# <c>required</c>: the file must give it (no default).</summary>
    public static bool IsRequired(PropertyInfo property) =>
        property.IsDefined(typeof(RequiredMemberAttribute), inherit: false);

    /// <summary>The JSON spellings of an enum's values (<c>bluegreen</c>, <c>reload</c>).</summary>
    public static IReadOnlyList<string> EnumNames(Type enumType) =>
        enumType
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f =>
                f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? JsonNamingPolicy.CamelCase.ConvertName(f.Name)
            )
            .ToList();

    /// <summary>The item type of a <c>List&lt;T&gt;</c> or <c>IReadOnlyList&lt;T&gt;</c>, else null.</summary>
    public static Type? ItemType(Type type) =>
        type.IsGenericType
        && (
            type.GetGenericTypeDefinition() == typeof(List<>)
            || type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
        )
            ? type.GetGenericArguments()[0]
            : null;

    /// <summary>The value type of a <c>Dictionary&lt;string, T&gt;</c>, else null.</summary>
    public static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)
            ? type.GetGenericArguments()[1]
            : null;
}
