using System.Text;
using System.Text.Json;

namespace Build.Configuration;

/// <summary>Maps JSON paths (<c>$.environments.staging.vps.ports[0]</c>) to 1-based line numbers, so that
/// errors and GitHub annotations can point at the line.</summary>
public sealed class JsonLineMap
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly HashSet<string> _properties = new(StringComparer.Ordinal);
    private readonly List<(string Path, int Line, int FirstLine)> _duplicates = [];

    /// <summary>Keys given twice in one object: the path, the line of the repeat and the line of the first. Keys inside
    /// a repeated object are not listed again.</summary>
    public IReadOnlyList<(string Path, int Line, int FirstLine)> Duplicates => _duplicates;

    public int? LineOf(string path)
    {
        // Fall back to the nearest parent that exists (a missing property is reported at its object).
        for (var p = path; p.Length > 0; p = Parent(p))
            if (_lines.TryGetValue(p, out var line)) return line;
        return null;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    public static JsonLineMap Build(byte[] utf8)
    {
        var map = new JsonLineMap();
        var newlines = new List<long>();
        for (var i = 0; i < utf8.Length; i++) if (utf8[i] == (byte)'\n') newlines.Add(i);
        int LineAt(long offset) { var idx = newlines.BinarySearch(offset); return (idx < 0 ? ~idx : idx) + 1; }

        var reader = new Utf8JsonReader(
            utf8,
            new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }
        );
        // Each frame: the path of a container and, for arrays, the next index.
        var stack = new Stack<(string Path, bool IsArray, int Index)>();
        string? pendingProperty = null;
        try
        {
            while (reader.Read())
            {
                string ValuePath()
                {
                    if (stack.Count == 0) return "$";
                    var top = stack.Pop();
                    string path;
                    if (top.IsArray) { path = $"{top.Path}[{top.Index}]"; top.Index++; }
                    else path = $"{top.Path}.{pendingProperty}";
                    stack.Push(top);
                    return path;
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingProperty = reader.GetString();
                        var propertyPath = $"{stack.Peek().Path}.{pendingProperty}";
                        var line = LineAt(reader.TokenStartIndex);
                        map._lines.TryAdd(propertyPath, line);
                        if (
                            !map._properties.Add(propertyPath)
                            && !map._duplicates.Any(d =>
                                propertyPath.StartsWith(d.Path + ".", StringComparison.Ordinal)
                                || propertyPath.StartsWith(d.Path + "[", StringComparison.Ordinal)
                            )
                        )
                            map._duplicates.Add((propertyPath, line, map._lines[propertyPath]));
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var containerPath = ValuePath();
                        map._lines.TryAdd(containerPath, LineAt(reader.TokenStartIndex));
                        stack.Push((containerPath, reader.TokenType == JsonTokenType.StartArray, 0));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        stack.Pop();
                        break;
                    default:
                        map._lines.TryAdd(ValuePath(), LineAt(reader.TokenStartIndex));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Syntax errors are reported by the loader; the map keeps what it read.
        }
        return map;
    }
}
