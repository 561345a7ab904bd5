using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Build.Configuration;

namespace Build.Tests.Validation;

/// <summary>
/// Compares the C# model of <c>environments.json</c> (what <see cref="ConfigurationLoader"/> reads, by reflection)
/// with <c>environments.schema.json</c>, both ways: every property the model reads has a schema entry and every
/// schema entry is read by the model, with the same JSON type, enum values, required set and (where the schema shows
/// one) default. Each difference is one line naming the property's path, e.g. <c>$.environments.*.vps.drainSeconds</c>.
/// </summary>
internal static class SchemaModelComparison
{
    private static readonly NullabilityInfoContext Nullability = new();
    private static readonly JsonSerializerOptions ModelJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static IReadOnlyList<string> Compare(Type model, JsonObject schema)
    {
        var problems = new List<string>();
        Compare(model, null, schema, schema, "$", problems);
        return problems;
    }

    private static void Compare(
        Type type,
        NullabilityInfo? nullability,
        JsonObject node,
        JsonObject root,
        string path,
        List<string> problems
    )
    {
        node = Resolve(node, root);
        var nullable =
            Nullable.GetUnderlyingType(type) is not null || nullability?.ReadState == NullabilityState.Nullable;
        type = Nullable.GetUnderlyingType(type) ?? type;
        var types = SchemaTypes(node);

        if (type.IsEnum)
        {
            var values =
                (node["enum"] as JsonArray)?.Select(v => v?.GetValue<string>()).OfType<string>().ToList() ?? [];
            if (!values.Order().SequenceEqual(ConfigurationModel.EnumNames(type).Order()))
                problems.Add(
                    $"{path}: the model accepts {string.Join(", ", ConfigurationModel.EnumNames(type))}, the " +
                    $"schema's enum is [{string.Join(", ", values)}]"
                );
            return;
        }
        if (ScalarType(type) is { } scalar)
        {
            if (!types.Contains(scalar))
                problems.Add($"{path}: the model reads {scalar}, the schema says {string.Join(" or ", types)}");
            if (nullable != types.Contains("null"))
                problems.Add(
                    $"{path}: "
                        + (
                            nullable
                                ? "the model accepts null, the schema does not (type [\"" + scalar + "\", \"null\"])"
                                : "the schema accepts null, the model does not"
                        )
                );
            return;
        }
        if (ConfigurationModel.ItemType(type) is { } itemType)
        {
            if (!types.Contains("array"))
                problems.Add($"{path}: the model reads an array, the schema says {string.Join(" or ", types)}");
            if (node["items"] is JsonObject items)
                Compare(
                    itemType,
                    nullability?.GenericTypeArguments.ElementAtOrDefault(0),
                    items,
                    root,
                    path + "[]",
                    problems
                );
            else
                problems.Add($"{path}: the schema does not say what the array holds (items)");
            return;
        }
        if (ConfigurationModel.DictionaryValueType(type) is { } valueType)
        {
            if (!types.Contains("object"))
                problems.Add($"{path}: the model reads an object, the schema says {string.Join(" or ", types)}");
            if (node["additionalProperties"] is JsonObject values)
                Compare(
                    valueType,
                    nullability?.GenericTypeArguments.ElementAtOrDefault(1),
                    values,
                    root,
                    path + ".*",
                    problems
                );
            else
                problems.Add($"{path}: the model reads any key here, the schema has no additionalProperties schema");
            return;
        }

        // An object of the model: the same properties, both ways.
        if (!types.Contains("object"))
            problems.Add($"{path}: the model reads an object, the schema says {string.Join(" or ", types)}");
        if (node["additionalProperties"]?.GetValueKind() != JsonValueKind.False)
            problems.Add(
                $"{path}: the loader rejects unknown properties, the schema should too (\"additionalProperties\": " +
                "false)"
            );
        var properties = node["properties"] as JsonObject ?? [];
        var model = ConfigurationModel.Properties(type);
        foreach (var name in model.Keys.Where(n => !properties.ContainsKey(n)))
            problems.Add(
                $"{path}.{name}: the model reads it ({type.Name}.{model[name].Name}), the schema has no entry: add " +
                "one to build/environments.schema.json"
            );
        foreach (var name in properties.Select(p => p.Key).Where(n => !model.ContainsKey(n)))
            problems.Add(
                $"{path}.{name}: the schema describes it, the model ({type.Name}) does not read it: remove it from " +
                "the schema or add the property"
            );

        var required = (node["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        var modelRequired = model.Where(p => ConfigurationModel.IsRequired(p.Value)).Select(p => p.Key).ToHashSet();
        foreach (var name in modelRequired.Except(required))
            problems.Add($"{path}.{name}: required in the model (no default), not in the schema's \"required\"");
        foreach (var name in required.Except(modelRequired))
            problems.Add(
                $"{path}.{name}: required in the schema, the model has a default (make it `required` or drop it from " +
                "\"required\")"
            );

        object? defaults = null;
        foreach (var (name, property) in model)
        {
            if (properties[name] is not JsonObject entry) continue;
            Compare(property.PropertyType, Nullability.Create(property), entry, root, $"{path}.{name}", problems);
            defaults ??= Activator.CreateInstance(type);
            var actual = JsonSerializer.SerializeToNode(property.GetValue(defaults), property.PropertyType, ModelJson);
            if (Resolve(entry, root)["default"] is not { } shown)
            {
                // The schema is what editors show and docs point to: a value the suite falls back to is shown there.
                if (actual is JsonValue && !ConfigurationModel.IsRequired(property))
                    problems.Add(
                        $"{path}.{name}: the model's default is {actual.ToJsonString()}, the schema shows none (add " +
                        $"\"default\": {actual.ToJsonString()})"
                    );
                continue;
            }
            if (!JsonNode.DeepEquals(actual, shown))
                problems.Add(
                    $"{path}.{name}: the schema shows the default {shown.ToJsonString()}, the model's is " +
                    $"{actual?.ToJsonString() ?? "null"} (the model's is the one used)"
                );
        }
    }

    private static JsonObject Resolve(JsonObject node, JsonObject root)
    {
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            const string prefix = "#/$defs/";
            if (!reference.StartsWith(prefix, StringComparison.Ordinal))
                throw new NotSupportedException($"$ref {reference}");
            node = root["$defs"]![reference[prefix.Length..]]!.AsObject();
        }
        return node;
    }

    private static IReadOnlyList<string> SchemaTypes(JsonObject node) => node["type"] switch
    {
        JsonArray many => many.Select(t => t!.GetValue<string>()).ToList(),
        JsonValue one => [one.GetValue<string>()],
        _ => ["(no type)"],
    };

    private static string? ScalarType(Type type) =>
        type == typeof(string) ? "string" : type == typeof(int) ? "integer" : type == typeof(bool) ? "boolean" : null;
}
