using Build.Deploy;
using Build.Host;
using Cake.Common.Diagnostics;

namespace Build.Tasks;

[TaskName(nameof(Rollback))]
[TaskDescription("Points --env's traffic and current back to the previous release (or --to=<release>) and restarts it, health-checked, without a rebuild (--break-lock)")]
public sealed class Rollback : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => RollBackAsync(context, context.Arg("to"));

    /// <summary>Also called by VerifyDeploy when a deploy's health check fails.</summary>
    public static async Task RollBackAsync(BuildContext context, string? toRelease)
    {
        var targets = DeployTargets.FromConfig(context.EnvironmentName, context.Target.Vps, context.App, context.RepositoryRoot,
            context.Secrets.Get, context.Secrets.Require);
        try
        {
            var service = new RollbackService(targets, message => context.Information(context.Masker.Apply(message)), DeployTargets.Who(Environment.GetEnvironmentVariable));
            var results = await service.RollbackAsync(toRelease, context.Flag("break-lock"));
            context.Ci.Summary($"### Rolled back {context.EnvironmentName}\n\n" +
                string.Join("\n", results.Select(r => $"- `{r.Host}`: `{r.Release}` (was `{r.PreviousRelease}`)")) + "\n");
        }
        finally
        {
            foreach (var target in targets) await target.Host.DisposeAsync();
        }
    }
}
