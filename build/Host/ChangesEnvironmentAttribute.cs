namespace Build.Host;

/// <summary>
/// The task changes the environment it runs for: the one place its gates are declared. The catalog reads it
/// (<see cref="TaskDefinition.Changes"/>), and the run applies it: <see cref="Approval"/> (an environment with
/// requiresApproval, or sharing a database with one, needs an approval first), <see cref="BackupFirst"/> (the
/// database is dumped before it runs where the environment asks for backups) and <see cref="Announce"/> (the
/// environment's channels hear how a run of this target ended).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ChangesEnvironmentAttribute : Attribute
{
    /// <summary>Needs the environment's approval (requiresApproval): the GitHub environment's reviewers, or
    /// --confirm.</summary>
    public bool Approval { get; init; } = true;
    /// <summary>Writes to the database: a backup runs first where the environment (or one sharing its database) keeps
    /// them.</summary>
    public bool BackupFirst { get; init; }
    /// <summary>A run with this target tells the environment's channels how it ended.</summary>
    public bool Announce { get; init; }
}
