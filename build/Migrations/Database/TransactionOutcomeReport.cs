using Npgsql;

namespace Build.Migrations.Database;

/// <summary>How a failed batch's transaction really ended, as the server says, and which of its files the history
/// holds.</summary>
public sealed record TransactionOutcomeReport(
    TransactionState State,
    long? TransactionId,
    IReadOnlyList<string> Recorded,
    string? Reason
)
{
    /// <summary>The sentence that follows the error: "Rolled back (checked ...)" only when the server confirmed
    /// it.</summary>
    public string Describe(IReadOnlyList<MigrationFile> files)
    {
        var what =
            files.Count > 1
                ? $"nothing of this transaction was kept ({files.Count} files, {files[0].FileName} .. " +
                    $"{files[^1].FileName}); "
                : "";
        if (State == TransactionState.Aborted && Recorded.Count == 0)
            return $"Rolled back (checked on the server: transaction {TransactionId} is aborted and no file of it is " +
                $"in the history): {what}the database and its history are as they were before it.";
        if (State == TransactionState.Committed || Recorded.Count > 0)
            return "NOT rolled back: "
                + (
                    State == TransactionState.Committed
                        ? $"transaction {TransactionId} was committed on the server"
                        : "part of the batch was committed"
                )
                + (Recorded.Count > 0 ? $", and the history records {string.Join(", ", Recorded)} as applied" : "")
                + ". What ran before the failure stayed applied: look at the database (MigrationStatus) and repair " +
                "it by hand before applying again.";
        return $"Whether it was rolled back could not be checked ({Reason}). PostgreSQL discards a transaction whose " +
            "session ended before COMMIT, "
            + "so nothing of it should be kept; when the server answers again, check with MigrationStatus.";
    }

    /// <summary>After a COMMIT that failed on the way: whether the server committed it after all.</summary>
    public string DescribeCommit() =>
        State switch
        {
            TransactionState.Committed =>
                $"The server committed it (checked: transaction {TransactionId} is committed): it is applied and " +
                "recorded.",
            TransactionState.Aborted =>
                $"The server did not commit it (checked: transaction {TransactionId} is aborted): nothing of it was " +
                "kept.",
            _ =>
                $"Whether the server committed it could not be checked ({Reason}); when it answers again, check with " +
                "MigrationStatus.",
        };
}
