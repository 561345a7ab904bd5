using System.Diagnostics;
using Npgsql;

namespace Build.Backup;

/// <summary>A backup could not be made, checked or restored; the message names the step and never holds the
/// password.</summary>
public sealed class BackupException(string message) : Exception(message);
