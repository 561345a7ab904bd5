using System.Text.RegularExpressions;
using LibGit2Sharp;

namespace Build.Packaging;

/// <summary>The commit an artifact is built from.</summary>
/// <param name="Sha">Full sha, plus <c>-dirty</c> when <see cref="Dirty"/>.</param>
public sealed record SourceCommit(string Sha, string ShortSha, bool Dirty)
{
    public const int ShortLength = 7;
    public const string DirtySuffix = "-dirty";

    public static SourceCommit Clean(string fullSha) => new(fullSha, fullSha[..ShortLength], false);

    public static SourceCommit Modified(string fullSha) =>
        new(fullSha + DirtySuffix, fullSha[..ShortLength] + DirtySuffix, true);
}
