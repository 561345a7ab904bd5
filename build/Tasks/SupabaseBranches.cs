using Build.Secrets;
using Build.Supabase;

namespace Build.Tasks;

[TaskName(nameof(SupabaseBranches))]
[TaskDescription(
    "Supabase preview branches of --env's project (supabaseProjectRef) through the Management API " +
    "(SUPABASE_ACCESS_TOKEN; SUPABASE_API_URL): --action=list shows each branch's status, how long it has run " +
    "(billed by the hour) and git branch; create --branch=NAME [--git-branch=BRANCH]; delete --branch=NAME|ID; pause " +
    "and resume are refused (the API has no such call for branches)"
)]
[TaskArgument<string>("action", "list, create, delete, pause or resume", Placeholder = "ACTION")]
[TaskArgument<string>("branch", "The branch's name (create, delete) or id (delete)", Placeholder = "NAME")]
[TaskArgument<string>(
    "git-branch",
    "The git branch the new branch follows (create; default: --branch)",
    Placeholder = "BRANCH"
)]
[TaskArgument<string>(
    "api-url",
    "The Management API's base URL (default: SUPABASE_API_URL, else https://api.supabase.com)",
    Placeholder = "URL"
)]
[OwnDryRun]
public sealed class SupabaseBranches : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var action = (
            context.Arg("action")
            ?? throw new InvalidOperationException(
                "--action is required: list, create, delete, pause or resume (for example ./build.sh " +
                "--target=SupabaseBranches --env=dev --action=list)."
            )
        ).ToLowerInvariant();
        if (action is "pause" or "resume")
            throw new InvalidOperationException(
                $"--action={action}: the Supabase Management API has no {action} call for branches (only list, " +
                "create, get, update, reset, merge, push and delete). "
                    + "A branch is billed for every hour it exists: to stop paying, delete it (--action=delete " +
                    "--branch=NAME) and create it again later; its schema comes back from the migrations. Nothing " +
                    "was sent."
            );
        if (action is not ("list" or "create" or "delete"))
            throw new InvalidOperationException($"--action={action}: expected list, create, delete, pause or resume.");

        var environment = context.TargetEnvironment;
        var projectRef =
            environment.SupabaseProjectRef
            ?? throw new InvalidOperationException(
                $"Environment '{environment.Name}' has no supabaseProjectRef in build/environments.json: branches " +
                "belong to a Supabase project. Pick one that has (--env=dev) or set environments." +
                $"{environment.Name}.supabaseProjectRef."
            );
        // A secret like the others: the process first, then .env.<env> (already registered with the masker).
        var token =
            context.Secrets.Get(SecretName.SupabaseAccessToken)
            ?? throw new InvalidOperationException(
                "SUPABASE_ACCESS_TOKEN is not set: create a personal access token at " +
                $"https://supabase.com/dashboard/account/tokens and export it or put it in .env.{environment.Name} " +
                "(CI: a repository secret)."
            );
        var baseUrl =
            context.Arg("api-url") ?? context.Variable("SUPABASE_API_URL") ?? SupabaseBranchesApi.DefaultBaseUrl;
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            throw new InvalidOperationException(
                $"The Management API URL '{baseUrl}' (--api-url or SUPABASE_API_URL) is not an http(s) URL."
            );

        using var api = new SupabaseBranchesApi(baseUri, token);
        try
        {
            switch (action)
            {
                case "list": await ListAsync(context, api, projectRef); break;
                case "create": await CreateAsync(context, api, projectRef); break;
                case "delete": await DeleteAsync(context, api, projectRef); break;
            }
        }
        catch (SupabaseApiException e) { throw new InvalidOperationException(e.Message, e); }
    }

    private static async Task ListAsync(BuildContext context, SupabaseBranchesApi api, string projectRef)
    {
        var branches = await api.ListAsync(projectRef);
        var now = DateTimeOffset.UtcNow;
        if (branches.Count == 0)
        {
            context.Information(
                "Project {0} has no branches (branching may not be enabled: Dashboard → Branches).",
                projectRef
            );
            return;
        }
        context.Information(
            "Branches of project {0} ('{1}'):\n{2}",
            projectRef,
            context.EnvironmentName,
            BranchListing.Table(branches, now)
        );
        var preview = branches.Count(b => !b.IsDefault);
        context.Information(
            "{0} preview branch(es), {1:0} branch-hour(s) so far: each one is billed as a compute instance for every " +
            "hour it exists. Delete the ones nobody uses with --action=delete --branch=NAME.",
            preview,
            BranchListing.BranchHours(branches, now)
        );
    }

    private static async Task CreateAsync(BuildContext context, SupabaseBranchesApi api, string projectRef)
    {
        var name =
            context.Arg("branch")
            ?? throw new InvalidOperationException(
                "--action=create needs --branch=NAME (and --git-branch=BRANCH when the git branch has another name)."
            );
        var gitBranch = context.Arg("git-branch") ?? name;
        if (context.IsDryRun)
        {
            context.Information(
                "Would create branch '{0}' of project {1} for git branch '{2}' (nothing sent: --dryrun).",
                name,
                projectRef,
                gitBranch
            );
            return;
        }
        var created = await api.CreateAsync(projectRef, name, gitBranch);
        context.Information(
            "Created branch '{0}' (id {1}, project {2}) for git branch '{3}': status {4}. It runs the migrations on " +
            "an empty database of its own (no data is copied) and is billed by the hour until deleted.",
            created.Name,
            created.Id,
            created.ProjectRef ?? "pending",
            created.GitBranch ?? gitBranch,
            created.Status ?? "unknown"
        );
    }

    private static async Task DeleteAsync(BuildContext context, SupabaseBranchesApi api, string projectRef)
    {
        var wanted =
            context.Arg("branch")
            ?? throw new InvalidOperationException(
                "--action=delete needs --branch=NAME (or its id, shown by --action=list)."
            );
        var branches = await api.ListAsync(projectRef);
        var branch =
            branches.FirstOrDefault(b => b.Id == wanted)
            ?? branches.FirstOrDefault(b => b.Name == wanted)
            ?? throw new InvalidOperationException(
                $"Project {projectRef} has no branch named or numbered '{wanted}' ("
                    + (branches.Count == 0
                        ? "it has none"
                        : "it has: " + string.Join(", ", branches.Select(b => b.Name)))
                    + "). Nothing was deleted."
            );
        if (branch.IsDefault)
            throw new InvalidOperationException(
                $"'{branch.Name}' is the project's default (production) branch: SupabaseBranches never deletes it. " +
                "Nothing was deleted."
            );
        if (context.IsDryRun)
        {
            context.Information(
                "Would delete branch '{0}' (id {1}) of project {2} (nothing sent: --dryrun).",
                branch.Name,
                branch.Id,
                projectRef
            );
            return;
        }
        await api.DeleteAsync(branch.Id);
        context.Information(
            "Deleted branch '{0}' (id {1}, git branch {2}) of project {3}: its database is gone and its billing stops.",
            branch.Name,
            branch.Id,
            branch.GitBranch ?? "-",
            projectRef
        );
    }
}
