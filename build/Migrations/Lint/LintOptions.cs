using Build.Migrations.Sql;
using static Build.Migrations.Lint.SqlSyntax;

namespace Build.Migrations.Lint;

public sealed record LintOptions
{
    /// <summary>
    /// False (default): the files are one pending batch, deployed together, so a table created in an earlier file of
    /// the batch is new and RLS may be enabled in any file of it. True: every file is judged as if everything before
    /// it were already deployed (what a linter must assume when it does not know what is applied where).
    /// </summary>
    public bool EachFileIsItsOwnBatch { get; init; }

    /// <summary>The schema unqualified names resolve to unless the file sets search_path.</summary>
    public string DefaultSchema { get; init; } = "public";
}
