namespace Build.Validation;

/// <summary>One thing Validate found. <see cref="Subject"/> names the variable, file or setting; never a secret
/// value.</summary>
public sealed record ValidationFinding(
    Severity Severity,
    string Subject,
    string Message,
    string? File = null,
    int? Line = null
)
{
    public override string ToString() => $"{Subject}: {Message}";
}
