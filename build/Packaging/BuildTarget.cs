namespace Build.Packaging;

/// <summary>The environment an artifact is built for: its name goes into the file name, and both into the
/// manifest.</summary>
/// <param name="SupabaseProjectRef">The project whose URL and anon key the build inlined (null: a database of our
/// own).</param>
public sealed record BuildTarget(string Environment, string? SupabaseProjectRef);
