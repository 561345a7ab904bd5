using Build.Secrets;
using Build.Deploy;
using Build.Host;
using Build.Packaging;
using Cake.Common.Diagnostics;

namespace Build.Tasks;

[TaskName(nameof(DeployVps))]
[TaskDescription("Deploys the packed app to --env's VPS hosts as a new release: lock, upload, checksum, start beside the old one, health-check on the host, switch Nginx and current; refuses an artifact built for another Supabase project (--artifact=<tar.gz>, --break-lock)")]
[NeedsSecrets(SecretName.VpsHost, SecretName.VpsUser, SecretName.VpsSshKey)]
[TaskArgument<string>("artifact", "The artifact to ship (default: the one PackageApp made in this run, else the newest artifacts/*.tar.gz); relative to where you run", Placeholder = "PATH")]
[TaskArgument<bool>("break-lock", "Take over a deploy lock left by a run that died (check no deploy is running first)")]
// No dependency on PackageApp: it ships --artifact=<path>, the artifact PackageApp made earlier in the same run
// (Deploy), or the newest artifacts/*.tar.gz, so CI builds once and promotes the same bytes.
[ChangesEnvironment(Announce = true)]
public sealed class DeployVps : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var artifact = ReleaseArtifact.Load(ArtifactPath(context));
        artifact.VerifyChecksum();
        ArtifactEnvironmentCheck.EnsureBuiltFor(artifact, context.Target);
        if (artifact.Environment != context.EnvironmentName)
            context.Information("Shipping {0}, built for '{1}' (same Supabase project {2}).", artifact.FileName, artifact.Environment!, artifact.SupabaseProjectRef ?? "none");
        await using var hosts = DeployTaskSupport.OpenHosts(context);
        try
        {
            var service = new DeployService(hosts.Targets, DeployTaskSupport.Progress(context), DeployTaskSupport.Who(context));
            var result = await service.DeployAsync(artifact, context.Flag("break-lock"));
            context.DeployedCommit = result.Commit;
            context.Ci.Summary($"### Deployed {result.Commit[..7]} to {context.EnvironmentName}\n\n" +
                string.Join("\n", result.Hosts.Select(h => $"- `{h.Host}`: `{h.Release}` (previous: `{h.PreviousRelease ?? "none"}`)")) + "\n");
        }
        catch (DeployFailedException ex)
        {
            context.Ci.Error(context.Masker.Apply(ex.Message), title: $"DeployVps {context.EnvironmentName}");
            throw;
        }
    }

    private static string ArtifactPath(BuildContext context)
    {
        if (context.Arg("artifact") is { Length: > 0 } given) return context.UserPath(given);
        if (context.PackagedArtifact is { } packed) return packed;
        var folder = context.InRepository(PackageApp.DefaultOutputDirectory);
        // PackageApp names artifacts <app>-<env>-<sha>.tar.gz: the newest one built for this environment.
        var pattern = $"{context.Config.Project.Name}-{context.EnvironmentName}-*.tar.gz";
        var newest = Directory.Exists(folder)
            ? new DirectoryInfo(folder).GetFiles(pattern).OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()
            : null;
        return newest?.FullName ?? throw new FileNotFoundException(
            $"No artifact for '{context.EnvironmentName}': pass --artifact=<path to .tar.gz> or run ./build.sh --target=PackageApp --env={context.EnvironmentName} first (it writes {folder}/{pattern}).");
    }
}
