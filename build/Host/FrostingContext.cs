using Cake.Core;

namespace Build.Host;

/// <summary>Base of the typed context: every Cake alias (<c>Information</c>, <c>Argument</c>, ...) works on it.</summary>
public class FrostingContext(ICakeContext context) : CakeContextAdapter(context);

/// <summary>Setup and teardown around a whole run, with the typed context.</summary>
public abstract class FrostingLifetime<TContext> where TContext : ICakeContext
{
    public virtual void Setup(TContext context, ISetupContext info) { }
    public virtual void Teardown(TContext context, ITeardownContext info) { }
}

/// <summary>Setup and teardown around each task, with the typed context.</summary>
public abstract class FrostingTaskLifetime<TContext> where TContext : ICakeContext
{
    public virtual void Setup(TContext context, ITaskSetupContext info) { }
    public virtual void Teardown(TContext context, ITaskTeardownContext info) { }
}
