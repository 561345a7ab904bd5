namespace Build.Supabase;

/// <summary>One branch as the Management API returns it (BranchResponse): the fields this suite shows or acts
/// on.</summary>
/// <param name="Id">The branch id used by /v1/branches/{branch_id}.</param>
/// <param name="Name">The branch's name (branch_name when it was created).</param>
/// <param name="ProjectRef">The branch's own project ref (its own database and API URL).</param>
/// <param name="GitBranch">The git branch it follows, or null.</param>
/// <param name="Status">CREATING_PROJECT, RUNNING_MIGRATIONS, MIGRATIONS_PASSED, MIGRATIONS_FAILED, FUNCTIONS_DEPLOYED,
/// FUNCTIONS_FAILED...</param>
/// <param name="IsDefault">The production branch (the parent project itself): never deleted by this suite.</param>
/// <param name="Persistent">Kept when its pull request closes.</param>
/// <param name="CreatedAt">When it was created: branches are billed by the hour from then.</param>
public sealed record SupabaseBranch(
    string Id,
    string Name,
    string? ProjectRef,
    string? GitBranch,
    string? Status,
    bool IsDefault,
    bool Persistent,
    DateTimeOffset? CreatedAt
);
