using System.Reflection;
using Build.Migrations.Sql;

namespace Build.Migrations.Platform;

/// <summary>Where the replay stood in for an extension (or skipped an index it cannot build), for the report.</summary>
public sealed record StandInUse(string Extension, MigrationFile File, int Line, string What);
