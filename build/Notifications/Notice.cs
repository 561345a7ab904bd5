using System.Text;

namespace Build.Notifications;

/// <summary>
/// What happened, said once for every channel, with what someone on call needs to act without opening the logs
/// first: where, what, how it ended, which commit, how long, what changed in the database, the backup, who approved,
/// and the link to the run; on failure the failing task and its error.
/// </summary>
public sealed record Notice
{
    public required string Environment { get; init; }
    public required string Target { get; init; }
    public required bool Succeeded { get; init; }
    public string? Commit { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>The task that failed and its error's first line (failures only).</summary>
    public string? FailedTask { get; init; }
    public string? Error { get; init; }
    /// <summary>Migrations this run applied (or rolled back, for RollbackMigrations); null when no migration step
    /// ran.</summary>
    public IReadOnlyList<string>? Migrations { get; init; }
    public string MigrationsVerb { get; init; } = "applied";
    /// <summary>The backup file this run took, or why there is none; null when the run has nothing to do with
    /// one.</summary>
    public string? Backup { get; init; }
    /// <summary>Who approved the change (environments with requiresApproval).</summary>
    public string? Approver { get; init; }
    /// <summary>The CI run (GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID).</summary>
    public string? RunUrl { get; init; }
    /// <summary>The environment's public address.</summary>
    public string? AppUrl { get; init; }

    public string Text()
    {
        var text = new StringBuilder();
        var commit = Commit is { Length: >= 7 } c ? $" at {c[..7]}" : "";
        text.Append(Succeeded ? "✅ " : "❌ ").Append(Target).Append(" on ").Append(Environment)
            .Append(Succeeded ? " succeeded" : " FAILED").Append(commit).Append(" in ").Append(Seconds(Duration));
        if (!Succeeded)
            text.Append("\nFailed task: ")
                .Append(FailedTask ?? "(before any task)")
                .Append(Error is { Length: > 0 } e ? $": {e}" : "");
        if (Migrations is { } migrations)
            text.Append($"\nMigrations {MigrationsVerb}: ")
                .Append(migrations.Count == 0 ? "none" : $"{migrations.Count} ({string.Join(", ", migrations)})");
        if (Backup is { Length: > 0 } backup)
            text.Append("\nBackup: ").Append(backup);
        if (Approver is { Length: > 0 } approver)
            text.Append("\nApproved by: ").Append(approver);
        if (Commit is { Length: > 0 } full)
            text.Append("\nCommit: ").Append(full);
        if (RunUrl is { Length: > 0 } run)
            text.Append("\nRun: ").Append(run);
        if (AppUrl is { Length: > 0 } app)
            text.Append("\nApp: ").Append(app);
        return text.ToString();
    }

    private static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds < 90
            ? $"{duration.TotalSeconds:0} s"
            : $"{(int)duration.TotalMinutes} min {duration.Seconds} s";
}
