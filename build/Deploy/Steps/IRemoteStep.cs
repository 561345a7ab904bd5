namespace Build.Deploy.Steps;

/// <summary>
/// One step of a remote phase. Several steps are rendered into one script (<see cref="RemoteScript"/>) so that a
/// phase costs one SSH round trip; each announces itself with <c>::step name</c> so that a failure names it.
/// A step renders its parameters as quoted assignments and then includes its script file (Scripts/*.sh). What it
/// reads from earlier steps (<see cref="Needs"/>) and leaves for later ones (<see cref="Produces"/>) is declared:
/// rendering checks that every need was produced by an earlier step or the prelude. What it prints for the deploy to
/// read is declared too (<see cref="Reports"/>).
/// </summary>
public interface IRemoteStep
{
    string Name { get; }

    /// <summary>Script variables and functions this step reads that an earlier step must have set.</summary>
    IReadOnlyCollection<string> Needs { get; }

    /// <summary>Script variables and functions this step sets for later steps (or the phase's EXIT trap).</summary>
    IReadOnlyCollection<string> Produces { get; }

    /// <summary>The keys it prints as <c>::out key=value</c> lines for the deploy to read
    /// (<see cref="PhaseOutput"/>).</summary>
    IReadOnlyCollection<string> Reports => [];

    void Render(ScriptWriter script);
}
