namespace Build.Validation;

public enum Severity { Warning, Error }

/// <summary>One thing Validate found. <see cref="Subject"/> names the variable, file or setting; never a secret value.</summary>
public sealed record ValidationFinding(Severity Severity, string Subject, string Message, string? File = null, int? Line = null)
{
    public override string ToString() => $"{Subject}: {Message}";
}

/// <summary>Validate found errors; each was already printed.</summary>
public sealed class ValidationFailedException(IReadOnlyList<ValidationFinding> errors)
    : Exception(errors.Count == 1 ? $"Validation failed: {errors[0]}" : $"Validation failed with {errors.Count} errors (each listed above), first: {errors[0]}")
{
    public IReadOnlyList<ValidationFinding> Errors { get; } = errors;
}
