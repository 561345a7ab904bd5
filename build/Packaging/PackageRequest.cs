using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Build.Packaging;

/// <summary>What to build and pack.</summary>
/// <param name="AppRoot">Full path of the app folder (project.app.path resolved against the repository).</param>
/// <param name="AppName">project.name; the artifact is <c>&lt;AppName&gt;-&lt;short sha&gt;.tar.gz</c>.</param>
/// <param name="CommitOverride">A full sha from <c>--commit=</c>; null reads HEAD from git.</param>
public sealed record PackageRequest(
    string AppRoot,
    string AppName,
    string BuildCommand,
    IReadOnlyList<PackedPath> Pack,
    string OutputDirectory,
    bool SkipBuild = false,
    string? CommitOverride = null,
    bool AllowDirty = false,
    IReadOnlyDictionary<string, string>? BuildEnvironment = null,
    BuildTarget? Target = null);
