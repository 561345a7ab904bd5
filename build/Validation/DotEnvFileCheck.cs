using Build.Configuration;
using Build.Secrets;

namespace Build.Validation;

/// <summary>
/// Looks at the names in <c>.env.&lt;env&gt;</c>: a variable with another environment's prefix (a copy of the wrong
/// template, or a file renamed) is never read for this environment, and a name the suite does not read is likely a
/// typo. Both are warnings that name the file, the line and the variable. A file others can read is a warning
/// (chmod 600); any tracked secrets file (another environment's too) is an error: it is in the repository.
/// </summary>
public static class DotEnvFileCheck
{
    public static IReadOnlyList<ValidationFinding> Check(
        EnvironmentsFile config,
        EnvironmentSettings environment,
        string repositoryRoot
    )
    {
        var fileName = $".env.{environment.Name}";
        var findings = new List<ValidationFinding>();
        foreach (var tracked in SecretFileTracking.TrackedSecretFiles(repositoryRoot))
            findings.Add(
                new ValidationFinding(
                    Severity.Error,
                    tracked,
                    new TrackedSecretFileException(tracked).Message[(tracked.Length + 1)..]
                )
            );
        var path = Path.Combine(repositoryRoot, fileName);
        if (
            !OperatingSystem.IsWindows()
            && File.Exists(path)
            && (
                File.GetUnixFileMode(path)
                & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)
            ) != 0
        )
            findings.Add(
                new ValidationFinding(
                    Severity.Warning,
                    fileName,
                    $"other users of this machine can read it: chmod 600 {fileName}"
                )
            );
        var read = SecretNames.AllVariables(environment.SecretPrefix).ToHashSet(StringComparer.Ordinal);
        var firstLines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in DotEnvFile.ReadEntries(path, fileName))
        {
            // As with a JSON key given twice, one of the two is silently dropped: say which one is used.
            if (!firstLines.TryAdd(entry.Key, entry.Line))
                findings.Add(
                    new ValidationFinding(
                        Severity.Warning,
                        entry.Key,
                        $"is given twice (first on line {firstLines[entry.Key]}): this later one is used; remove the " +
                        "other",
                        fileName,
                        entry.Line
                    )
                );
            if (read.Contains(entry.Key))
                continue;
            var owner = config
                .Environments.Values.Where(e =>
                    e.Name != environment.Name
                    && e.SecretPrefix.Length > 0
                    && entry.Key.StartsWith(e.SecretPrefix + "_", StringComparison.Ordinal)
                )
                .OrderByDescending(e => e.SecretPrefix.Length)
                .FirstOrDefault();
            var message = owner is not null
                ? $"has the prefix of '{owner.Name}' ({owner.SecretPrefix}_), but {fileName} is read only for '" +
                    $"{environment.Name}', whose variables start with "
                    + $"{environment.SecretPrefix}_: it is ignored. Rename it to {environment.SecretPrefix}_" +
                    $"{entry.Key[(owner.SecretPrefix.Length + 1)..]} "
                    + $"or move it to .env.{owner.Name} (the names '{environment.Name}' reads are in " +
                    $"{DotEnvTemplate.FileName(environment.Name)})"
                : $"is not a variable the suite reads for '{environment.Name}': it is ignored (the names it reads " +
                    $"are in {DotEnvTemplate.FileName(environment.Name)})";
            findings.Add(new ValidationFinding(Severity.Warning, entry.Key, message, fileName, entry.Line));
        }
        return findings;
    }
}
