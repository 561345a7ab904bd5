using Cake.Core;

namespace Build.Host;

/// <summary>Setup and teardown around each task, with the typed context.</summary>
public abstract class FrostingTaskLifetime<TContext> where TContext : ICakeContext
{
    public virtual void Setup(TContext context, ITaskSetupContext info) { }
    public virtual void Teardown(TContext context, ITaskTeardownContext info) { }
}
