using Build.Migrations.Sql;

namespace Build.Migrations;

/// <summary>A statement that would end (or hand over) the transaction a file runs in, and why that is
/// refused.</summary>
public sealed record TransactionControlStatement(SqlStatement Statement, string What, string Why)
{
    public int Line => Statement.Line;
    public int Column => Statement.First.Column;

    public string Message =>
        $"{What} inside a transactional migration {Why}. The suite runs each batch of files in one transaction (all " +
        "or nothing); "
        + "remove it (a plain BEGIN/COMMIT around the file is fine), or put '-- pg-delta: transaction=false' on the " +
        "file's first line to run it on its own, outside a transaction.";
}
