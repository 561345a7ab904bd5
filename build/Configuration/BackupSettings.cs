namespace Build.Configuration;

/// <summary>An environment's <c>backup</c>: backups before migrations, how long they are kept, restores.</summary>
public sealed class BackupSettings
{
    /// <summary>RestoreDb may overwrite this environment's database (off by default for an environment that requires
    /// approval).</summary>
    public bool AllowRestore { get; set; }
    public bool BeforeMigrations { get; set; }
    public int KeepDays { get; set; } = 14;
    public string Directory { get; set; } = "backups";
}
