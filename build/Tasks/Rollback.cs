using Build.Secrets;
using Build.Deploy;

namespace Build.Tasks;

[TaskName(nameof(Rollback))]
[TaskDescription(
    "Points --env's traffic and current back to the previous release (or --to=<release>) and restarts it, " +
    "health-checked, without a rebuild (--break-lock)"
)]
[ChangesEnvironment(Announce = true)]
[NeedsSecrets(SecretName.VpsHost, SecretName.VpsUser, SecretName.VpsSshKey)]
[TaskArgument<string>(
    "to",
    "The release to go back to (a folder name under releases/; default: the previous one)",
    Placeholder = "RELEASE"
)]
[TaskArgument<bool>("break-lock", "Take over a deploy lock left by a run that died (check no deploy is running first)")]
public sealed class Rollback : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => RollBackAsync(context, context.Arg("to"));

    /// <summary>Also called by VerifyDeploy when a deploy's health check fails.</summary>
    public static async Task RollBackAsync(BuildContext context, string? toRelease)
    {
        await using var hosts = DeployTaskSupport.OpenHosts(context);
        var service = new RollbackService(
            hosts.All,
            DeployTaskSupport.Progress(context),
            DeployTaskSupport.Who(context)
        );
        var results = await service.RollbackAsync(toRelease, context.Flag("break-lock"));
        context.Ci.Summary($"### Rolled back {context.EnvironmentName}\n\n" +
            string.Join("\n", results.Select(r => $"- `{r.Host}`: `{r.Release}` (was `{r.PreviousRelease}`)")) + "\n");
    }
}
