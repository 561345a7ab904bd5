namespace Build.Migrations.Database;

/// <summary>A database URL cannot be read. The message says what is wrong and how to fix it, and holds nothing of the
/// value (not even a piece of it: a misplaced password character would otherwise show up as a "host" or
/// "port").</summary>
public sealed class DatabaseUrlFormatException(string message) : FormatException(message);
