namespace Build.Validation;

public static class ValidationReport
{
    /// <summary>Prints every finding (and annotates it under CI), then fails with all the errors at once.</summary>
    public static void Print(BuildContext context, IReadOnlyList<ValidationFinding> findings)
    {
        foreach (var finding in findings.OrderByDescending(f => f.Severity))
        {
            var location = finding.File is null ? "" : $"{finding.File}{(finding.Line is { } l ? $":{l}" : "")}: ";
            if (finding.Severity == Severity.Error)
            {
                context.Error("  error   {0}{1}", location, finding);
                context.Ci.Error(finding.ToString(), finding.File, finding.Line);
            }
            else
            {
                context.Warning("  warning {0}{1}", location, finding);
                context.Ci.Warning(finding.ToString(), finding.File, finding.Line);
            }
        }
        var errors = findings.Where(f => f.Severity == Severity.Error).ToList();
        if (errors.Count > 0) throw new ValidationFailedException(errors);
    }
}
