using System.Text;

namespace Build.Migrations.Sql;

public enum SqlTokenKind
{
    Whitespace,
    LineComment,
    BlockComment,
    /// <summary>A bare word: keyword or unquoted identifier.</summary>
    Word,
    QuotedIdentifier,
    /// <summary>'...', E'...', B'...', X'...', N'...', U&amp;'...'.</summary>
    String,
    DollarString,
    Number,
    /// <summary>A positional parameter such as $1.</summary>
    Parameter,
    Operator,
    /// <summary>( ) [ ] , ; : .</summary>
    Punctuation,
}
