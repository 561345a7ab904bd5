using Cake.Core;

namespace Build.Host;

/// <summary>Common shape of synchronous and asynchronous tasks, as the host sees them.</summary>
public interface IFrostingTask
{
    Type ContextType { get; }
    Task RunAsync(ICakeContext context);
    bool ShouldRun(ICakeContext context);
    string SkipReason(ICakeContext context);
    Task<IReadOnlyList<string>> PlanAsync(ICakeContext context);
    void OnError(Exception exception, ICakeContext context);
    void Finally(ICakeContext context);
}
