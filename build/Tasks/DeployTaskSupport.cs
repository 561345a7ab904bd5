using Build.Deploy;

namespace Build.Tasks;

/// <summary>What the deploy targets share: --env's hosts from configuration and secrets, and who is deploying.
/// (Not a target.)</summary>
internal static class DeployTaskSupport
{
    /// <summary>The environment's hosts, connected lazily; dispose them with
    /// <see cref="Hosts.DisposeAsync"/>.</summary>
    public static Hosts OpenHosts(BuildContext context) =>
        new(
            DeployHosts.FromConfig(
                context.EnvironmentName,
                context.TargetEnvironment.Vps,
                context.App,
                context.RepositoryRoot,
                context.Secrets.Get,
                context.Secrets.Require
            )
        );

    /// <summary>Progress lines (the masked console hides any secret in them, as in everything else the suite
    /// prints).</summary>
    public static Action<string> Progress(BuildContext context) => message => context.Information("{0}", message);

    /// <summary>Who is deploying, for the lock and revisions.log (the CI actor, or the local user).</summary>
    public static string Who(BuildContext context) =>
        DeployHosts.Who(context.Variable)
        + (context.Approval is { Approver: { } approver } ? $",approved-by={approver.Replace(' ', '_')}" : "");

    public sealed class Hosts(IReadOnlyList<DeployHost> hosts) : IAsyncDisposable
    {
        public IReadOnlyList<DeployHost> All { get; } = hosts;

        public async ValueTask DisposeAsync()
        {
            foreach (var host in All) await host.Host.DisposeAsync();
        }
    }
}
