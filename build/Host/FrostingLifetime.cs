using Cake.Core;

namespace Build.Host;

/// <summary>Setup and teardown around a whole run, with the typed context.</summary>
public abstract class FrostingLifetime<TContext> where TContext : ICakeContext
{
    public virtual void Setup(TContext context, ISetupContext info) { }
    public virtual void Teardown(TContext context, ITeardownContext info) { }
}
