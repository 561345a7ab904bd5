using System.Globalization;
using Build.Migrations.Sql;

namespace Build.Migrations.Database;

/// <summary>What the local files and one database's history say about each version.</summary>
public enum MigrationState { Applied, Pending, MissingLocally, Changed }
