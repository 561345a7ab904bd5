using Build.Configuration;

namespace Build.Packaging;

/// <summary>
/// An artifact's browser bundle talks to the Supabase project it was built for (Next.js inlined the URL and anon key):
/// shipping it to an environment of another project would point that environment's users at the wrong database.
/// DeployVps asks this before anything reaches a host.
/// </summary>
public static class ArtifactEnvironmentCheck
{
    /// <summary>Throws, naming both projects and the command that builds the right artifact, unless
    /// <paramref name="artifact"/> was built for <paramref name="environment"/>'s Supabase project.</summary>
    public static void EnsureBuiltFor(ReleaseArtifact artifact, EnvironmentSettings environment)
    {
        var fix = $"Build one for it: ./build.sh --target=PackageApp --env={environment.Name}";
        if (!artifact.RecordsTarget)
            throw new InvalidOperationException(
                $"{artifact.FileName} does not say which environment it was built for (its manifest.json has no " +
                "\"environment\": packed before "
                    + "per-environment builds), so its browser bundle may talk to any Supabase project. Refusing to " +
                    $"ship it to '{environment.Name}'. {fix}"
            );
        if (!string.Equals(artifact.SupabaseProjectRef, environment.SupabaseProjectRef, StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"{artifact.FileName} was built for '{artifact.Environment}' (Supabase project " +
                $"{artifact.SupabaseProjectRef ?? "none"}), but "
                    + $"'{environment.Name}' uses Supabase project {environment.SupabaseProjectRef ?? "none"}: its " +
                    "browser code would talk to the wrong "
                    + $"project. Refusing to ship it. {fix}"
            );
    }
}
