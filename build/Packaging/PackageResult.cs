using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Build.Packaging;

public sealed record PackageResult(
    string ArtifactPath,
    string ChecksumPath,
    string Sha256,
    long ArtifactBytes,
    ReleaseManifest Manifest,
    IReadOnlyList<string> Warnings
);
