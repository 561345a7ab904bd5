using System.Collections.Concurrent;
using System.Reflection;

namespace Build.Deploy.Steps;

/// <summary>
/// The bash and JavaScript the steps send, kept as files of their own in <c>build/Deploy/Steps/Scripts/</c> and
/// embedded in the assembly (so that <c>bash -n</c> and <c>node --check</c> can read them, and tests do).
/// </summary>
public static class StepScripts
{
    public const string ResourcePrefix = "Build.Deploy.Steps.Scripts.";
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>File names of every embedded script (<c>lock.sh</c>, <c>ecosystem.config.cjs</c>, ...).</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(StepScripts).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToList();

    public static string Text(string file) =>
        Cache.GetOrAdd(
            file,
            static name =>
            {
                using var stream =
                    Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + name)
                    ?? throw new InvalidOperationException(
                        $"The step script build/Deploy/Steps/Scripts/{name} is not embedded in the build " +
                        "(Build.csproj embeds Steps/Scripts/*)."
                    );
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd().Replace("\r\n", "\n");
            }
        );
}
