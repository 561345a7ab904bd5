using System.Text.Json.Nodes;
using Build.Configuration;

namespace Build.GitHub;

/// <summary>
/// Reads what GitHub has (branch protection, GitHub environments, their branch policies, secrets and variables, the
/// repository secrets) and what <c>.github/CODEOWNERS</c> holds, against the <c>github</c> section of
/// environments.json, and returns one
/// <see cref="GitHubChange"/> per item: the difference, and the write that would close it. Secret values are
/// never read back (GitHub does not reveal them) nor shown: a present secret is kept unless asked to update it.
/// Knows nothing of Cake.
/// </summary>
public sealed class GitHubConfigurator(GitHubRest api, EnvironmentsFile config, GitHubTarget target)
{
    private string Repo => $"repos/{target.Repository}";

    public async Task<IReadOnlyList<GitHubChange>> PlanAsync()
    {
        var github =
            config.GitHub
            ?? throw new InvalidOperationException(
                "environments.json has no \"github\" section: nothing to configure (see docs/github.md)."
            );
        var changes = new List<GitHubChange>();
        foreach (var (branch, protection) in github.Protection)
            changes.Add(await ProtectionAsync(branch, protection, github.RequiredChecks));
        changes.Add(CodeOwners(github));
        foreach (var (name, settings) in github.Environments)
        {
            var environment = config.Environments[name];
            changes.Add(await EnvironmentAsync(name, settings));
            changes.AddRange(await BranchPolicyAsync(name, environment.Branch!));
            changes.AddRange(await SecretsAsync(name, settings));
            changes.AddRange(await VariablesAsync(name, settings));
        }
        changes.AddRange(await RepositorySecretsAsync(github.RepositorySecrets));
        return changes;
    }

    // ---- branch protection ----

    private async Task<GitHubChange> ProtectionAsync(
        string branch,
        BranchProtectionSettings wanted,
        List<string> commonChecks
    )
    {
        var checks = commonChecks
            .Concat(wanted.RequiredChecks)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var wantedSummary = ProtectionSummary(
            checks,
            wanted.RequiredApprovals,
            wanted.CodeOwnerReviews,
            dismissStale: true,
            linear: true,
            forcePush: false,
            deletion: false,
            admins: true
        );
        var current = await api.GetAsync($"{Repo}/branches/{Uri.EscapeDataString(branch)}/protection");
        var currentSummary = current is null
            ? "not protected"
            : ProtectionSummary(
                (current["required_status_checks"]?["contexts"]?.AsArray().Select(c => c!.GetValue<string>()) ?? [])
                    .Order(StringComparer.Ordinal)
                    .ToList(),
                current["required_pull_request_reviews"]?["required_approving_review_count"]?.GetValue<int>(),
                current["required_pull_request_reviews"]?["require_code_owner_reviews"]?.GetValue<bool>() ?? false,
                current["required_pull_request_reviews"]?["dismiss_stale_reviews"]?.GetValue<bool>() ?? false,
                current["required_linear_history"]?["enabled"]?.GetValue<bool>() ?? false,
                current["allow_force_pushes"]?["enabled"]?.GetValue<bool>() ?? false,
                current["allow_deletions"]?["enabled"]?.GetValue<bool>() ?? false,
                current["enforce_admins"]?["enabled"]?.GetValue<bool>() ?? false
            );
        var body = new JsonObject
        {
            ["required_status_checks"] = new JsonObject
            {
                ["strict"] = true,
                ["contexts"] = new JsonArray(checks.Select(c => (JsonNode)c).ToArray()),
            },
            ["enforce_admins"] = true,
            ["required_pull_request_reviews"] = new JsonObject
            {
                ["dismiss_stale_reviews"] = true,
                ["require_code_owner_reviews"] = wanted.CodeOwnerReviews,
                ["required_approving_review_count"] = wanted.RequiredApprovals,
            },
            ["restrictions"] = null,
            ["required_linear_history"] = true,
            ["allow_force_pushes"] = false,
            ["allow_deletions"] = false,
        };
        return new GitHubChange(
            "protection",
            branch,
            currentSummary,
            wantedSummary,
            currentSummary == wantedSummary
                ? null
                : () => api.PutAsync($"{Repo}/branches/{Uri.EscapeDataString(branch)}/protection", body)
        );
    }

    private static string ProtectionSummary(
        IReadOnlyList<string> checks,
        int? approvals,
        bool codeOwners,
        bool dismissStale,
        bool linear,
        bool forcePush,
        bool deletion,
        bool admins
    ) =>
        $"checks [{string.Join(", ", checks)}]; "
        + (
            approvals is { } n
                ? $"PR with {n} approval(s){(codeOwners ? " + code owners" : "")}" +
                    $"{(dismissStale ? ", stale dismissed" : "")}"
                : "no PR required"
        )
        + $"; {(linear ? "linear" : "merge commits")}; {(forcePush ? "force push allowed" : "no force push")}; " +
        $"{(deletion ? "deletable" : "no deletion")}; {(admins ? "admins too" : "admins exempt")}";

    // ---- CODEOWNERS ----

    private GitHubChange CodeOwners(GitHubSettings github)
    {
        var path = Path.Combine(target.RepositoryRoot, CodeOwnersFile.RelativePath);
        var wanted = CodeOwnersFile.Render(github.CodeOwners);
        var current = File.Exists(path) ? File.ReadAllText(path) : null;
        var wantedSummary =
            $"{github.CodeOwners.Count} rule(s): " +
            $"{string.Join("; ", github.CodeOwners.Select(o => $"{o.Key} {string.Join(' ', o.Value)}"))}";
        if (current == wanted)
            return new GitHubChange("codeowners", CodeOwnersFile.RelativePath, wantedSummary, wantedSummary, null);
        return new GitHubChange(
            "codeowners",
            CodeOwnersFile.RelativePath,
            current is null ? "missing" : "differs",
            wantedSummary,
            () =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, wanted);
                return Task.CompletedTask;
            }
        );
    }

    // ---- environments ----

    private async Task<GitHubChange> EnvironmentAsync(string name, GitHubEnvironmentSettings wanted)
    {
        var owner = target.Repository.Split('/')[0];
        var wantedSummary = EnvironmentSummary(
            wanted.Reviewers.Order(StringComparer.OrdinalIgnoreCase),
            wanted.WaitMinutes,
            custom: true
        );
        var current = await api.GetAsync($"{Repo}/environments/{Uri.EscapeDataString(name)}");
        string currentSummary;
        if (current is null) currentSummary = "missing";
        else
        {
            var rules = current["protection_rules"]?.AsArray() ?? [];
            var reviewers = rules.Where(r => r?["type"]?.GetValue<string>() == "required_reviewers")
                .SelectMany(r => r!["reviewers"]?.AsArray() ?? [])
                .Select(r => r?["type"]?.GetValue<string>() == "Team"
                    ? $"@{owner}/{r["reviewer"]?["slug"]?.GetValue<string>()}"
                    : $"@{r?["reviewer"]?["login"]?.GetValue<string>()}")
                .Order(StringComparer.OrdinalIgnoreCase);
            var wait = rules
                .Where(r => r?["type"]?.GetValue<string>() == "wait_timer")
                .Select(r => r!["wait_timer"]?.GetValue<int>() ?? 0)
                .FirstOrDefault();
            var custom = current["deployment_branch_policy"]?["custom_branch_policies"]?.GetValue<bool>() ?? false;
            currentSummary = EnvironmentSummary(reviewers, wait, custom);
        }
        return new GitHubChange(
            "environment",
            name,
            currentSummary,
            wantedSummary,
            currentSummary == wantedSummary
                ? null
                : async () =>
                {
                    var reviewers = new JsonArray();
                    foreach (var reviewer in wanted.Reviewers)
                    {
                        var (type, id) = await api.ReviewerAsync(reviewer);
                        reviewers.Add(new JsonObject { ["type"] = type, ["id"] = id });
                    }
                    await api.PutAsync(
                        $"{Repo}/environments/{Uri.EscapeDataString(name)}",
                        new JsonObject
                        {
                            ["wait_timer"] = wanted.WaitMinutes,
                            ["reviewers"] = reviewers,
                            ["deployment_branch_policy"] = new JsonObject
                            {
                                ["protected_branches"] = false,
                                ["custom_branch_policies"] = true,
                            },
                        }
                    );
                }
        );
    }

    private static string EnvironmentSummary(IEnumerable<string> reviewers, int wait, bool custom) =>
        $"reviewers [{string.Join(", ", reviewers)}]; wait {wait} min; " +
        $"{(custom ? "selected branches only" : "any branch")}";

    private async Task<IEnumerable<GitHubChange>> BranchPolicyAsync(string name, string branch)
    {
        var current = await api.GetAsync(
            $"{Repo}/environments/{Uri.EscapeDataString(name)}/deployment-branch-policies"
        );
        var names = (current?["branch_policies"]?.AsArray() ?? [])
            .Select(p => p?["name"]?.GetValue<string>())
            .OfType<string>()
            .ToList();
        var changes = new List<GitHubChange>
        {
            names.Contains(branch)
                ? new GitHubChange("branch policy", $"{name} ← {branch}", "allowed", "allowed", null)
                : new GitHubChange(
                    "branch policy",
                    $"{name} ← {branch}",
                    "missing",
                    "allowed",
                    () =>
                        api.PostAsync(
                            $"{Repo}/environments/{Uri.EscapeDataString(name)}/deployment-branch-policies",
                            new JsonObject { ["name"] = branch, ["type"] = "branch" }
                        )
                ),
        };
        // Another branch allowed to deploy is a way around the gate: reported, for a person to remove.
        changes.AddRange(
            names
                .Where(n => n != branch)
                .Select(n => new GitHubChange(
                    "branch policy",
                    $"{name} ← {n}",
                    "allowed",
                    "not wanted: remove it in Settings → Environments",
                    null
                ))
        );
        return changes;
    }

    // ---- secrets and variables ----

    private async Task<IEnumerable<GitHubChange>> SecretsAsync(string name, GitHubEnvironmentSettings wanted)
    {
        var current = await api.GetAsync($"{Repo}/environments/{Uri.EscapeDataString(name)}/secrets");
        var present = (current?["secrets"]?.AsArray() ?? [])
            .Select(s => s?["name"]?.GetValue<string>())
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var changes = new List<GitHubChange>();
        foreach (var secret in wanted.Secrets)
        {
            var value = target.SecretValue(name, secret);
            var item = $"{name}: {secret}";
            if (value is null)
                changes.Add(
                    new GitHubChange(
                        "secret",
                        item,
                        present.Contains(secret) ? "set (value hidden)" : "missing",
                        $"not set here ({secret} in the environment or .env.{name}): left as it is",
                        null
                    )
                );
            else if (present.Contains(secret) && !target.UpdateSecrets)
                changes.Add(
                    new GitHubChange(
                        "secret",
                        item,
                        "set (value hidden)",
                        "set (kept; --update-secrets replaces it)",
                        null
                    )
                );
            else
                changes.Add(
                    new GitHubChange(
                        "secret",
                        item,
                        present.Contains(secret) ? "set (value hidden)" : "missing",
                        "sealed from this machine's value",
                        () =>
                            PutSealedAsync(
                                $"{Repo}/environments/{Uri.EscapeDataString(name)}/secrets",
                                secret,
                                value,
                                $"the '{name}' environment's secrets"
                            )
                    )
                );
        }
        return changes;
    }

    /// <summary>
    /// Repository secrets, for jobs that run in no GitHub environment (deploy-production's package job: staging's
    /// environment refuses main). Each value is read like its environment's secrets and sealed like them; a source
    /// variable not set here is named with where to put it, and the secret is left as GitHub has it.
    /// </summary>
    private async Task<IEnumerable<GitHubChange>> RepositorySecretsAsync(
        Dictionary<string, GitHubRepositorySecretSettings> wanted
    )
    {
        if (wanted.Count == 0) return [];
        var current = await api.GetAsync($"{Repo}/actions/secrets");
        var present = (current?["secrets"]?.AsArray() ?? [])
            .Select(s => s?["name"]?.GetValue<string>())
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var values = wanted.ToDictionary(
            w => w.Key,
            w => target.SecretValue(w.Value.Environment, w.Value.Variable),
            StringComparer.Ordinal
        );
        var changes = new List<GitHubChange>();
        foreach (var (secret, source) in wanted)
        {
            var value = values[secret];
            var item = $"repository: {secret}";
            var now = present.Contains(secret) ? "set (value hidden)" : "missing";
            if (value is null)
                changes.Add(
                    new GitHubChange(
                        "secret",
                        item,
                        now,
                        $"not set here: put {source.Variable} in .env.{source.Environment} (or this shell), then " +
                        "./build.sh --target=ConfigureGitHub --apply",
                        null
                    )
                );
            else if (present.Contains(secret) && !target.UpdateSecrets)
                changes.Add(new GitHubChange("secret", item, now, "set (kept; --update-secrets replaces it)", null));
            else
            {
                // One variable read for two environments gives one value when it comes from this shell: say so, since
                // the point of two secrets (e.g. the server actions keys) is that they differ.
                var twin = wanted
                    .FirstOrDefault(w =>
                        w.Key != secret
                        && w.Value.Variable == source.Variable
                        && w.Value.Environment != source.Environment
                        && values[w.Key] == value
                    )
                    .Key;
                changes.Add(
                    new GitHubChange(
                        "secret",
                        item,
                        now,
                        $"sealed from {source.Environment}'s {source.Variable}"
                            + (
                                twin is null
                                    ? ""
                                    : $" (same value as {twin}: set each in its own .env.<env>, not in this shell)"
                            ),
                        () => PutSealedAsync($"{Repo}/actions/secrets", secret, value, "the repository's secrets")
                    )
                );
            }
        }
        return changes;
    }

    /// <summary>Seals <paramref name="value"/> for the public key under <paramref name="secretsPath"/> and writes it
    /// there.</summary>
    private async Task PutSealedAsync(string secretsPath, string secret, string value, string whose)
    {
        var key =
            await api.GetAsync($"{secretsPath}/public-key")
            ?? throw new InvalidOperationException($"GitHub gave no public key for {whose}.");
        await api.PutAsync(
            $"{secretsPath}/{secret}",
            new JsonObject
            {
                ["encrypted_value"] = SecretSealer.Seal(value, key["key"]!.GetValue<string>()),
                ["key_id"] = key["key_id"]!.GetValue<string>(),
            }
        );
    }

    private async Task<IEnumerable<GitHubChange>> VariablesAsync(string name, GitHubEnvironmentSettings wanted)
    {
        var current = await api.GetAsync($"{Repo}/environments/{Uri.EscapeDataString(name)}/variables");
        var present = (current?["variables"]?.AsArray() ?? [])
            .Where(v => v?["name"] is not null)
            .ToDictionary(
                v => v!["name"]!.GetValue<string>(),
                v => v!["value"]?.GetValue<string>(),
                StringComparer.Ordinal
            );
        return wanted
            .Variables.Select(pair =>
            {
                var (variable, value) = pair;
                var body = new JsonObject { ["name"] = variable, ["value"] = value };
                if (!present.TryGetValue(variable, out var existing))
                    return new GitHubChange(
                        "variable",
                        $"{name}: {variable}",
                        "missing",
                        value,
                        () => api.PostAsync($"{Repo}/environments/{Uri.EscapeDataString(name)}/variables", body)
                    );
                return existing == value
                    ? new GitHubChange("variable", $"{name}: {variable}", value, value, null)
                    : new GitHubChange(
                        "variable",
                        $"{name}: {variable}",
                        existing ?? "",
                        value,
                        () =>
                            api.PatchAsync(
                                $"{Repo}/environments/{Uri.EscapeDataString(name)}/variables/{variable}",
                                body
                            )
                    );
            })
            .ToList();
    }
}
