using Build.Secrets;
using Build.Deploy;
using Build.Packaging;

namespace Build.Tasks;

[TaskName(nameof(DeployVps))]
[TaskDescription(
    "Deploys the packed app to --env's VPS hosts as a new release: lock, upload, checksum, start beside the old one, " +
    "health-check on the host, switch Nginx and current; refuses an artifact built for another Supabase project " +
    "(--artifact=<tar.gz>, --break-lock)"
)]
[NeedsSecrets(SecretName.VpsHost, SecretName.VpsUser, SecretName.VpsSshKey)]
[TaskArgument<string>(
    "artifact",
    "The artifact to ship (default: the one PackageApp made in this run, else the newest artifacts/*.tar.gz of " +
    "--commit or HEAD); relative to where you run",
    Placeholder = "PATH"
)]
[TaskArgument<string>(
    "commit",
    "The commit to ship (default: the checkout's HEAD); an artifact of another commit is refused",
    Placeholder = "SHA"
)]
[TaskArgument<bool>("break-lock", "Take over a deploy lock left by a run that died (check no deploy is running first)")]
// No dependency on PackageApp: it ships --artifact=<path>, the artifact PackageApp made earlier in the same run
// (Deploy), or the newest artifacts/<app>-<env>-*.tar.gz of the commit asked for (--commit, else HEAD), so CI builds
// once per environment and promotes the same bytes.
[ChangesEnvironment(Announce = true)]
public sealed class DeployVps : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        // The checksum is checked on the same read as the manifest: one pass over the artifact before connecting.
        var artifact = ReleaseArtifact.LoadVerified(ArtifactPath(context));
        ArtifactSelector.RequireCommit(artifact, context.Arg("commit"));
        ArtifactEnvironmentCheck.EnsureBuiltFor(artifact, context.TargetEnvironment);
        if (artifact.Environment != context.EnvironmentName)
            context.Information(
                "Shipping {0}, built for '{1}' (same Supabase project {2}).",
                artifact.FileName,
                artifact.Environment!,
                artifact.SupabaseProjectRef ?? "none"
            );
        await using var hosts = DeployTaskSupport.OpenHosts(context);
        try
        {
            var service = new DeployService(
                hosts.All,
                DeployTaskSupport.Progress(context),
                DeployTaskSupport.Who(context)
            );
            // When VerifyDeploy follows (Deploy), the old color keeps serving until the public check passed.
            var verifyFollows = context.RunTarget != nameof(DeployVps);
            var result = await service.DeployAsync(
                artifact,
                context.Flag("break-lock"),
                retireOldColor: !verifyFollows
            );
            context.DeployedCommit = result.Commit;
            context.Deployed = result;
            context.Ci.Summary(
                $"### Deployed {result.Commit[..7]} to {context.EnvironmentName}\n\n"
                    + string.Join(
                        "\n",
                        result.Hosts.Select(h =>
                            $"- `{h.Host}`: `{h.Release}` (previous: `{h.PreviousRelease ?? "none"}`)"
                        )
                    )
                    + "\n"
            );
        }
        catch (DeployFailedException ex)
        {
            context.Ci.Error(ex.Message, title: $"DeployVps {context.EnvironmentName}");
            throw;
        }
    }

    /// <summary>--dryrun: the artifact and its commit, each host, the release it would switch from and to, and the
    /// releases pruning would delete (read from each host without changing it).</summary>
    public override async Task<IReadOnlyList<string>> PlanAsync(BuildContext context)
    {
        var lines = new List<string>();
        string shortCommit;
        if (context.Arg("artifact") is { Length: > 0 } || context.RunTarget == nameof(DeployVps))
        {
            var artifact = ReleaseArtifact.Load(ArtifactPath(context));
            shortCommit = artifact.ShortCommit;
            lines.Add(
                $"artifact {Path.GetRelativePath(context.WorkingDirectory, artifact.Path)} (commit " +
                $"{artifact.ShortCommit}, built {artifact.BuiltAt:yyyy-MM-dd HH:mm} UTC)"
            );
        }
        else
        {
            shortCommit = PackageApp.ShortCommit(PackageApp.PlannedCommit(context));
            lines.Add($"artifact: the one PackageApp makes in this run (commit {shortCommit})");
        }
        var release = Build.Deploy.ReleaseLayout.ReleaseName(DateTimeOffset.UtcNow, shortCommit);
        await using var hosts = DeployTaskSupport.OpenHosts(context);
        foreach (var target in hosts.All)
            lines.Add((await DeployPlanner.PlanAsync(target, release)).Describe());
        return lines;
    }

    private static string ArtifactPath(BuildContext context)
    {
        // Absent: null; given empty: "" (an error); given: resolved against where the user runs.
        var given = context.Arguments.HasArgument("artifact") ? context.Arg("artifact") ?? "" : null;
        return ArtifactSelector.Choose(
            string.IsNullOrWhiteSpace(given) ? given : context.UserPath(given),
            context.PackagedArtifact,
            context.InRepository(PackageApp.DefaultOutputDirectory),
            () =>
                context.Arg("commit") is { } commit
                    ? CommitResolver.FromOverride(commit).Sha
                    : CommitResolver
                        .FromRepository(context.RepositoryRoot, allowDirty: true)
                        .Sha.Replace(SourceCommit.DirtySuffix, ""),
            // PackageApp names artifacts <app>-<env>-<sha>.tar.gz: only this environment's builds are candidates.
            pattern: $"{context.Config.Project.Name}-{context.EnvironmentName}-*.tar.gz");
    }
}
