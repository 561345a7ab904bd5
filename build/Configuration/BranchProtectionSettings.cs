namespace Build.Configuration;

public sealed class BranchProtectionSettings
{
    /// <summary>Approving reviews a pull request needs; 0 still requires a pull request.</summary>
    public int RequiredApprovals { get; set; }
    /// <summary>A CODEOWNERS owner must be among the approvers.</summary>
    public bool CodeOwnerReviews { get; set; }
    /// <summary>Extra checks for this branch, on top of github.requiredChecks (CheckPromotion's job on staging and
    /// main).</summary>
    public List<string> RequiredChecks { get; set; } = [];
}
