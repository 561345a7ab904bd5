using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Build.Configuration;
using Build.Tests.Infrastructure;
using Json.Schema;

namespace Build.Tests.Validation;

/// <summary>
/// build/environments.schema.json against the shipped file and against the model, both ways: editors complete and
/// check from the schema, the suite reads the model, and neither may fall behind the other.
/// </summary>
[TestFixture]
public sealed class ConfigurationSchemaTests
{
    private static string SchemaPath => Path.Combine(Require.RepositoryRoot, "build", "environments.schema.json");
    private static string FilePath => Path.Combine(Require.RepositoryRoot, "build", "environments.json");

    private static JsonObject SchemaNode() => JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject();

    private static EvaluationResults Evaluate(JsonNode? instance, JsonObject? schema = null) =>
        JsonSchema
            .FromText((schema ?? SchemaNode()).ToJsonString())
            .Evaluate(
                instance,
                new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true }
            );

    /// <summary>"/environments/staging/vps" as the loader names it: "$.environments.staging.vps".</summary>
    private static string JsonPath(string pointer) =>
        "$" + string.Concat(pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Replace("~1", "/").Replace("~0", "~"))
            .Select(s => int.TryParse(s, out _) ? $"[{s}]" : "." + s));

    private static IReadOnlyList<string> SchemaErrors(EvaluationResults results) =>
        (results.Details.Count > 0 ? results.Details : [results])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{JsonPath(d.InstanceLocation.ToString())}: {e.Key}: {e.Value}"))
            .ToList();

    [Test]
    public void The_shipped_file_validates_against_the_schema()
    {
        var results = Evaluate(JsonNode.Parse(File.ReadAllText(FilePath)));

        SchemaErrors(results).Should().BeEmpty();
        results.IsValid.Should().BeTrue();
    }

    [Test]
    public void The_model_and_the_schema_describe_the_same_properties_types_required_and_defaults() =>
        SchemaModelComparison
            .Compare(typeof(EnvironmentsFile), SchemaNode())
            .Should()
            .BeEmpty(
                string.Join(Environment.NewLine, SchemaModelComparison.Compare(typeof(EnvironmentsFile), SchemaNode()))
            );

    [Test]
    public void A_model_property_without_a_schema_entry_is_named()
    {
        var schema = SchemaNode();
        schema["$defs"]!["vps"]!["properties"]!.AsObject().Remove("drainSeconds");

        SchemaModelComparison
            .Compare(typeof(EnvironmentsFile), schema)
            .Should()
            .ContainSingle()
            .Which.Should()
            .Be(
                "$.environments.*.vps.drainSeconds: the model reads it (DeploySettings.DrainSeconds), the schema has " +
                "no entry: add one to build/environments.schema.json"
            );
    }

    [Test]
    public void A_schema_entry_the_model_does_not_read_is_named()
    {
        var schema = SchemaNode();
        schema["$defs"]!["vps"]!["properties"]!["warmRollback"] = new JsonObject { ["type"] = "boolean" };

        SchemaModelComparison
            .Compare(typeof(EnvironmentsFile), schema)
            .Should()
            .ContainSingle()
            .Which.Should()
            .StartWith(
                "$.environments.*.vps.warmRollback: the schema describes it, the model (DeploySettings) does not " +
                "read it"
            );
    }

    [Test]
    public void A_type_a_default_an_enum_a_null_or_a_required_set_that_differ_are_named()
    {
        var schema = SchemaNode();
        var vps = schema["$defs"]!["vps"]!.AsObject();
        vps["properties"]!["drainSeconds"]!["default"] = 5;
        vps["properties"]!["sshPort"]!.AsObject().Remove("default");
        vps["properties"]!["waitReady"]!["type"] = "string";
        vps["properties"]!["strategy"]!["enum"] = new JsonArray("bluegreen", "reload", "canary");
        vps["required"] = new JsonArray("basePath");
        schema["$defs"]!["environment"]!["properties"]!["branch"]!["type"] = "string";

        SchemaModelComparison
            .Compare(typeof(EnvironmentsFile), schema)
            .Should()
            .BeEquivalentTo(
                "$.environments.*.vps.drainSeconds: the schema shows the default 5, the model's is 2 (the model's is " +
                "the one used)",
                "$.environments.*.vps.sshPort: the model's default is 22, the schema shows none (add \"default\": 22)",
                "$.environments.*.vps.waitReady: the model reads boolean, the schema says string",
                "$.environments.*.vps.strategy: the model accepts bluegreen, reload, the schema's enum is " +
                "[bluegreen, reload, canary]",
                "$.environments.*.vps.pm2AppName: required in the model (no default), not in the schema's \"required\"",
                "$.environments.*.branch: the model accepts null, the schema does not (type [\"string\", \"null\"])"
            );
    }

    [Test]
    public void The_host_key_algorithms_the_loader_accepts_are_ssh_nets_and_the_schemas()
    {
        var offered = new Renci.SshNet.ConnectionInfo("host", "user", new Renci.SshNet.NoneAuthenticationMethod("user"))
            .HostKeyAlgorithms
            .Keys;
        var inSchema = SchemaNode()["$defs"]!["vps"]!["properties"]!["hostKeyAlgorithm"]!["enum"]!
            .AsArray()
            .Select(v => v!.GetValue<string>());

        Rules
            .HostKeyAlgorithms.Should()
            .BeEquivalentTo(offered, "SSH.NET offers these (an update may add or drop one)");
        inSchema.Should().BeEquivalentTo(Rules.HostKeyAlgorithms);
    }

    /// <summary>One bad value in the shipped file; the loader and the schema both refuse it, at the same
    /// path.</summary>
    private static readonly object[] BadValues =
    [
        new object[]
        {
            "wrong type",
            "$.environments.staging.vps.drainSeconds",
            (Action<JsonObject>)(f => Vps(f)["drainSeconds"] = "2"),
            "expected a whole number, got the string \"2\"",
        },
        new object[]
        {
            "unknown property",
            "$.environments.staging.vps.drainSecs",
            (Action<JsonObject>)(f => Vps(f)["drainSecs"] = 2),
            "unknown property 'drainSecs'; did you mean 'drainSeconds'?",
        },
        new object[]
        {
            "unknown enum value",
            "$.environments.staging.vps.strategy",
            (Action<JsonObject>)(f => Vps(f)["strategy"] = "blue-green"),
            "expected \"bluegreen\" or \"reload\", got the string \"blue-green\"",
        },
        new object[]
        {
            "unknown transport",
            "$.environments.staging.vps.transport",
            (Action<JsonObject>)(f => Vps(f)["transport"] = "scp"),
            "expected \"ssh\" or \"local\", got the string \"scp\"",
        },
        new object[]
        {
            "below the minimum",
            "$.environments.staging.vps.keepReleases",
            (Action<JsonObject>)(f => Vps(f)["keepReleases"] = 1),
            "expected 2 or more",
        },
        new object[]
        {
            "negative seconds",
            "$.environments.staging.vps.lockWaitSeconds",
            (Action<JsonObject>)(f => Vps(f)["lockWaitSeconds"] = -1),
            "expected 0 or more seconds, got -1",
        },
        new object[]
        {
            "zero seconds",
            "$.environments.staging.vps.healthTimeoutSeconds",
            (Action<JsonObject>)(f => Vps(f)["healthTimeoutSeconds"] = 0),
            "expected 1 or more seconds, got 0",
        },
        new object[]
        {
            "a port out of range",
            "$.environments.staging.vps.ports[1]",
            (Action<JsonObject>)(f => Vps(f)["ports"] = new JsonArray(3010, 70000)),
            "between 1 and 65535",
        },
        new object[]
        {
            "a relative health path",
            "$.environments.staging.vps.healthPath",
            (Action<JsonObject>)(f => Vps(f)["healthPath"] = "api/health"),
            "expected a path starting with /, e.g. \"/api/health\"",
        },
        new object[]
        {
            "an empty optional command",
            "$.environments.staging.vps.nginxSwitchCommand",
            (Action<JsonObject>)(f => Vps(f)["nginxSwitchCommand"] = ""),
            "is empty: leave the key out (or write null)",
        },
        new object[]
        {
            "an empty user",
            "$.environments.staging.vps.user",
            (Action<JsonObject>)(f => Vps(f)["user"] = ""),
            "is empty",
        },
        new object[]
        {
            "a shared path outside the release",
            "$.environments.staging.vps.sharedFiles[0]",
            (Action<JsonObject>)(f => Vps(f)["sharedFiles"] = new JsonArray("../.env")),
            "expected a path inside shared/",
        },
        new object[]
        {
            "null where the model has no null",
            "$.environments.staging.vps.instances",
            (Action<JsonObject>)(f => Vps(f)["instances"] = null),
            "expected a whole number, got null",
        },
        new object[]
        {
            "a missing required property",
            "$.environments.staging.vps",
            (Action<JsonObject>)(f => Vps(f).Remove("basePath")),
            "\"basePath\" is missing: add \"basePath\": <a string>",
        },
        new object[]
        {
            "an algorithm SSH.NET cannot pin",
            "$.environments.staging.vps.hostKeyAlgorithm",
            (Action<JsonObject>)(f => Vps(f)["hostKeyAlgorithm"] = "ed25519"),
            "expected the algorithm of the host key VPS_HOST_KEY pins, one of \"ssh-ed25519-cert-v01@openssh.com\"",
        },
        new object[]
        {
            "a lower-case secret prefix",
            "$.environments.staging.secretPrefix",
            (Action<JsonObject>)(f => f["environments"]!["staging"]!["secretPrefix"] = "staging"),
            "expected an upper-case prefix",
        },
    ];

    private static JsonObject Vps(JsonObject file) => file["environments"]!["staging"]!["vps"]!.AsObject();

    [TestCaseSource(nameof(BadValues))]
    public void A_bad_value_is_refused_by_the_loader_and_the_schema_at_the_same_path(
        string what,
        string path,
        Action<JsonObject> spoil,
        string message
    )
    {
        var file = JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject();
        spoil(file);
        var text = file.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        var load = () => ConfigurationLoader.Parse(Encoding.UTF8.GetBytes(text), "build/environments.json");

        var errors = load.Should().Throw<ConfigurationException>(what).Which.Errors;
        errors
            .Should()
            .Contain(
                e =>
                    e.JsonPath == path
                    && e.Message.Contains(message)
                    && e.File == "build/environments.json"
                    && e.Line != null,
                $"the loader names the file, line, path and what to write ({what}); it said: " +
                $"{string.Join(" | ", errors)}"
            );
        var schemaErrors = SchemaErrors(Evaluate(file));
        schemaErrors.Should().Contain(e => e.StartsWith(path + ": "), $"the schema refuses {what} at {path} too");
    }
}
