using Cake.Core;

namespace Build.Host;

/// <summary>A task with asynchronous work. Override <see cref="RunAsync"/>.</summary>
public abstract class AsyncFrostingTask<TContext> : IFrostingTask where TContext : ICakeContext
{
    public virtual Task RunAsync(TContext context) => Task.CompletedTask;
    public virtual bool ShouldRun(TContext context) => true;
    /// <summary>Why <see cref="ShouldRun"/> said no, for the task report ("staging needs no approval").</summary>
    public virtual string SkipReason(TContext context) => "its ShouldRun returned false";
    /// <summary>What the task would do, for --dryrun: read-only (it may read a database or list a host's releases,
    /// never change them). Empty when the task list says enough.</summary>
    public virtual Task<IReadOnlyList<string>> PlanAsync(TContext context) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public virtual void OnError(Exception exception, TContext context) { }
    public virtual void Finally(TContext context) { }

    Type IFrostingTask.ContextType => typeof(TContext);
    Task IFrostingTask.RunAsync(ICakeContext context) => RunAsync((TContext)context);
    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((TContext)context);
    string IFrostingTask.SkipReason(ICakeContext context) => SkipReason((TContext)context);
    Task<IReadOnlyList<string>> IFrostingTask.PlanAsync(ICakeContext context) => PlanAsync((TContext)context);
    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (TContext)context);
    void IFrostingTask.Finally(ICakeContext context) => Finally((TContext)context);
}
