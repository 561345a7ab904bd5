using Build.Host;
using Cake.Common.Diagnostics;
using Cake.Core;

namespace Build;

/// <summary>Around the whole run: says which environment this is before anything happens.</summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        var env = context.Target;
        context.Information("Environment: {0} ({1}){2}", env.Name, env.Description ?? "no description",
            env.SupabaseProjectRef is { } r ? $", Supabase project {r}" : "");
        foreach (var warning in Validation.SharedDatabaseCheck.AcceptedWarnings(context.Config, env.Name))
        {
            context.Warning(warning);
            context.Ci.Warning(warning, title: "Shared database");
        }
    }
}

/// <summary>Around each task: a collapsible group under GitHub Actions.</summary>
public sealed class BuildTaskLifetime : FrostingTaskLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ITaskSetupContext info) => context.Ci.BeginGroup(info.Task.Name);
    public override void Teardown(BuildContext context, ITaskTeardownContext info) => context.Ci.EndGroup();
}
