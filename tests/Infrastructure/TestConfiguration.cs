using System.Text.Json.Nodes;

namespace Build.Tests.Infrastructure;

/// <summary>A copy of the shipped build/environments.json, edited for one test and written to its folder (passed
/// to the suite with --config=), so that tests never touch the real file.</summary>
public static class TestConfiguration
{
    public static string Write(string directory, Action<JsonObject> edit)
    {
        var json = JsonNode
            .Parse(File.ReadAllText(Path.Combine(Require.RepositoryRoot, "build", "environments.json")))!
            .AsObject();
        json.Remove("$schema"); // relative to build/: it would not resolve beside the copy
        edit(json);
        var path = Path.Combine(directory, "environments.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }
}
