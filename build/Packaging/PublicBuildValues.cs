using System.Text.RegularExpressions;
using Build.Configuration;
using Build.Secrets;

namespace Build.Packaging;

/// <summary>
/// The values Next.js inlines into the browser bundle at <c>next build</c>: <c>NEXT_PUBLIC_SUPABASE_URL</c> and
/// <c>NEXT_PUBLIC_SUPABASE_ANON_KEY</c>, from the environment's own secrets. A bundle built without them talks to no
/// project, and one built with another environment's talks to the wrong one, so an environment with a Supabase
/// project refuses to build without its values or with a URL of another project.
/// (The anon key is public by Supabase's design: RLS guards the data. It still stays out of every log.)
/// </summary>
public static partial class PublicBuildValues
{
    public const string UrlVariable = "NEXT_PUBLIC_SUPABASE_URL";
    public const string AnonKeyVariable = "NEXT_PUBLIC_SUPABASE_ANON_KEY";

    [GeneratedRegex("^([a-z]{20})\\.supabase\\.(co|in)$")] private static partial Regex SupabaseApiHost();

    /// <summary>The project ref of a <c>https://&lt;ref&gt;.supabase.co</c> URL; null for any other address.</summary>
    public static string? ProjectRefOf(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
        && SupabaseApiHost().Match(uri.Host) is { Success: true } m
            ? m.Groups[1].Value
            : null;

    /// <summary>The variables for the build; <paramref name="warn"/> hears about values an environment without a
    /// project (local) does not have. Throws naming the variables when an environment with a project lacks
    /// them.</summary>
    public static IReadOnlyDictionary<string, string> For(
        EnvironmentSettings environment,
        SecretStore secrets,
        Action<string> warn
    )
    {
        var url = secrets.Get(SecretName.SupabaseUrl)?.Trim();
        var anonKey = secrets.Get(SecretName.SupabaseAnonKey)?.Trim();
        var missing = new List<string>();
        if (string.IsNullOrEmpty(url))
            missing.Add(string.Join(" or ", secrets.VariablesFor(SecretName.SupabaseUrl)));
        if (string.IsNullOrEmpty(anonKey))
            missing.Add(string.Join(" or ", secrets.VariablesFor(SecretName.SupabaseAnonKey)));

        if (environment.SupabaseProjectRef is { } projectRef)
        {
            if (missing.Count > 0)
                throw new InvalidOperationException(
                    $"PackageApp --env={environment.Name} builds the browser bundle for Supabase project " +
                    $"{projectRef}, but {string.Join(" and ", missing)} "
                        + $"{(missing.Count == 1 ? "is" : "are")} not set (Next.js inlines them as {UrlVariable} and " +
                        $"{AnonKeyVariable} at build time). "
                        + $"Set {(missing.Count == 1 ? "it" : "them")} in the environment or .env.{environment.Name} " +
                        "(see .env.template)."
                );
            if (ProjectRefOf(url!) is { } urlRef && urlRef != projectRef)
                throw new InvalidOperationException(
                    $"{secrets.SourceOf(SecretName.SupabaseUrl)} points at Supabase project {urlRef}, but '" +
                    $"{environment.Name}' is configured for {projectRef} "
                        + "(environments.json supabaseProjectRef): the browser bundle would talk to the wrong project."
                );
        }
        else if (missing.Count > 0)
            warn(
                $"{string.Join(" and ", missing)} not set: the '{environment.Name}' build's browser code has no " +
                "Supabase project to talk to."
            );

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(url)) variables[UrlVariable] = url;
        if (!string.IsNullOrEmpty(anonKey)) variables[AnonKeyVariable] = anonKey;
        return variables;
    }
}
