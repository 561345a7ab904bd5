using System.Text.Json.Nodes;
using Build.Configuration;

namespace Build.GitHub;

/// <summary>What ConfigureGitHub needs besides the API: where the repository is, and each secret's value.</summary>
public sealed record GitHubTarget(
    string Repository,
    string RepositoryRoot,
    Func<string, string, string?> SecretValue,
    bool UpdateSecrets
);
