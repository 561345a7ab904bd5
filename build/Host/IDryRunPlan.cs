using Cake.Core;

namespace Build.Host;

/// <summary>A task that can say what it would do under --dryrun (read-only look-ups allowed, no change).</summary>
public interface IDryRunPlan
{
    Task PlanAsync(ICakeContext context);
}
