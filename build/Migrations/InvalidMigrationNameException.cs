using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Build.Migrations;

/// <summary>Thrown for a migration name that is not snake_case; the message says what would be accepted.</summary>
public sealed class InvalidMigrationNameException(string message) : Exception(message);
