namespace Build.Validation;

/// <summary>Validate found errors; each was already printed.</summary>
public sealed class ValidationFailedException(IReadOnlyList<ValidationFinding> errors)
    : Exception(
        errors.Count == 1
            ? $"Validation failed: {errors[0]}"
            : $"Validation failed with {errors.Count} errors (each listed above), first: {errors[0]}"
    )
{
    public IReadOnlyList<ValidationFinding> Errors { get; } = errors;
}
