namespace Build.Secrets;

/// <summary>A <c>.env.&lt;env&gt;</c> is tracked by git: its secrets are (or are about to be) in the repository. An
/// incident, so the run stops before any value is read, saying how to untrack the file and what to rotate.</summary>
public sealed class TrackedSecretFileException(string fileName)
    : Exception(
        $"{fileName} is tracked by git: the secrets in it are in the repository, and in its history once committed. "
            + "Treat it as an incident:"
            + Environment.NewLine
            + $"  1. untrack it (the file stays on disk): git rm --cached {fileName} && git commit -m \"Untrack " +
            $"{fileName}\""
            + Environment.NewLine
            + "  2. rotate every secret it holds (database password, service-role key, SSH deploy key, webhooks, " +
            "tokens): anyone with a clone has them"
            + Environment.NewLine
            + "  3. if it was pushed, remove it from the history too (git filter-repo --invert-paths --path " +
            $"{fileName}) and tell everyone to re-clone"
            + Environment.NewLine
            + "The repository's .gitignore ignores .env.*, so once untracked it stays out."
    )
{
    public string FileName { get; } = fileName;
}
