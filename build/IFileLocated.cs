namespace Build;

/// <summary>An error that points at a place in a file; <see cref="Ci.CiErrors"/> turns it into an annotation with
/// file and line. The suite's own type: the host never sees it, so it survives a move to Cake.Frosting.</summary>
public interface IFileLocated
{
    string? File { get; }
    int? Line { get; }
    int? Column { get; }
}
