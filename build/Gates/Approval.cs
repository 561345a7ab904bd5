namespace Build.Gates;

/// <summary>How a change to an environment was approved: by a reviewer GitHub names, or typed on the command
/// line.</summary>
public sealed record Approval(string Environment, string? Approver, string How)
{
    public bool ByReviewer => Approver is not null;
}
